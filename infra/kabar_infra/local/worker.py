"""One function's execution environment: load the handler once, then serve invocations.

Requests arrive as JSON lines on stdin; each reply goes as one JSON line to
the file descriptor named on the command line, so the handler's own output
(its logs) stays on stdout. The first line written there says the handler is
loaded (Lambda's init phase, timed apart from invocations). Ctrl-C in the
terminal is for the local stack, which stops its workers itself (end of
input, or a kill after a Timeout), so a worker ignores SIGINT.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    handler_file, handler_name, function_name, memory_mb, timeout_s, reply_fd = sys.argv[1:7]
    from kabar_infra.local.functions import LambdaContext, _load_module

    sys.path.insert(0, os.path.dirname(handler_file))
    handler = getattr(
        _load_module("app_" + function_name, __import__("pathlib").Path(handler_file)), handler_name
    )
    replies = os.fdopen(int(reply_fd), "w")
    replies.write(json.dumps({"ready": True}) + "\n")
    replies.flush()
    for line in sys.stdin:
        try:
            context = LambdaContext(function_name, int(memory_mb), int(timeout_s))
            reply = {"result": handler(json.loads(line), context)}
        except Exception as exc:
            traceback.print_exc()
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        replies.write(json.dumps(reply, default=str) + "\n")
        replies.flush()


if __name__ == "__main__":
    main()
