"""`make dev [PORT=3000]`: the Dagster UI and daemon (`dg dev`) on the project, on http://127.0.0.1:$PORT.

The instance is the data directory's (<data dir>/dagster, with the project's dagster.yaml or VC_DAGSTER_YAML's:
orchestration.lib.instance), so the UI shows the runs of `make run` too. Ctrl-C or SIGTERM stops the UI, the
daemon and the code servers.

`dg dev` (dagster-dg-cli; Dagster's command that superseded `dagster dev`, which now warns so; given the module it
runs the same dev server) handles SIGTERM as it handles SIGINT, taking over SIGINT's disposition; a shell that
starts a command in the background (`make dev &`) leaves SIGINT ignored, and SIGTERM then was ignored too. Both
signals are set back to their defaults before `dg dev` replaces this process.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from orchestration.lib.instance import prepare_home
from orchestration.resources import settings_from_environment
from sources.lib.paths import REPO_ROOT


def main() -> None:
    home = prepare_home(settings_from_environment().data)
    dg = str(Path(sys.executable).with_name("dg"))
    port = os.environ.get("PORT") or "3000"
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    # from the instance's folder: started in the repository, the dev server warns that the dagster.yaml there is not
    # used, though the instance's settings are made from it (prepare_home); the code is found by working directory
    os.chdir(home)
    args = ["dev", "-m", "orchestration.definitions", "-d", str(REPO_ROOT), "-h", "127.0.0.1", "-p", port]
    os.execve(dg, [dg, *args], env)


if __name__ == "__main__":
    main()
