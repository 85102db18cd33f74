import os
import sys

from data_access.cli.entry import main

try:
    code = main()
    sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's own flush at exit
except BrokenPipeError:
    # The reader went away (`python -m data_access reviews ... | head`): end quietly, like cat.
    # Python's own flush at exit would still fail on the dead pipe, so point stdout at /dev/null.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    code = 141  # 128 + SIGPIPE, what a shell reports for a command ended by a closed pipe
sys.exit(code)
