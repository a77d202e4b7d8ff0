"""A browser steered from a test across a process boundary: Playwright's sync API must not share the test
process's eventlet hub, so each browser runs as `python -m <module> ...`, takes one JSON command a line on
stdin and answers each with one JSON line on stdout ({"result": ...} or {"error": "..."})."""
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path


class BrowserProcess:
    """The test's side: start the module's browser process, ask it one command at a time."""

    def __init__(self, module: str, args: list[str], root: Path):
        self.process = subprocess.Popen([sys.executable, "-m", module, *args], cwd=root,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def _ask(self, op: str, **args):
        self.process.stdin.write(json.dumps({"op": op, **args}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError(f"the browser process ended (code {self.process.wait(10)})")
        answer = json.loads(line)
        if "error" in answer:
            raise AssertionError(f"browser: {op} {args}: {answer['error']}")
        return answer["result"]

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self._ask("quit")
            finally:
                self.process.wait(30)


def answer_commands(run: Callable[[str, dict], object]) -> None:
    """The browser's side: each command on stdin run by run(op, arguments) until "quit"; a result that is
    {"error": ...}, or an exception, is answered as that error (the test fails with it)."""
    for line in sys.stdin:
        command = json.loads(line)
        op = command.pop("op")
        try:
            result = None if op == "quit" else run(op, command)
            answer = result if isinstance(result, dict) and "error" in result else {"result": result}
        except Exception as exc:
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(answer), flush=True)
        if op == "quit":
            break
