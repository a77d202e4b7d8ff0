"""Rows a service keeps one of per journey, read and written under a row lock."""
from sqlalchemy.exc import IntegrityError


def locked_get_or_create(session, model, key, **defaults):
    """The row of `model` with primary key `key`, locked until the transaction ends;
    created (with `defaults`) if missing. Two workers creating it at once: the
    second waits for the first and gets its row, never a duplicate-key error.
    """
    row = session.get(model, key, with_for_update=True)
    if row is not None:
        return row
    try:
        with session.begin_nested():
            row = model(**_key_columns(model, key), **defaults)
            session.add(row)
            session.flush()
    except IntegrityError:
        row = session.get(model, key, with_for_update=True, populate_existing=True)
    return row


def _key_columns(model, key) -> dict:
    columns = [column.key for column in model.__mapper__.primary_key]
    values = key if isinstance(key, tuple) else (key,)
    return dict(zip(columns, values, strict=True))
