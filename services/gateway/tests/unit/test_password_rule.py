"""The staff password rule, in the domain: long enough, not one or two characters repeated, not the
username; it says why in a clause."""
import pytest

from services.gateway.domain.credentials import MIN_PASSWORD, password_problem


@pytest.mark.parametrize("password, problem", [
    ("short 1", f"a password must have at least {MIN_PASSWORD} characters"),
    ("abababababababab", "a password must have at least 5 different characters"),
    ("Maria.Jansen", "a password must not be the username"),
])
def test_a_password_that_will_not_do_says_why(password, problem):
    assert password_problem(password, "maria.jansen") == problem


def test_a_long_varied_password_will_do_and_the_username_may_be_part_of_it():
    assert password_problem("a long enough test password", "planner") is None
    assert password_problem("planner who walks far", "planner") is None
