"""The VibeCode portal simulator: a real HTTP server faithful to the VibeCode API the bot talks to.

`releasebot sim` runs it (server.serve); tests and the demo start one with server.SimServer. A scenario file
(scenario.py; default demo.yaml) sets the portal up; faults (faults.py) and the control API under /_sim/
(control.py) steer it while it runs.
"""

from sim.app import create_sim_app
from sim.server import SimServer, serve
from sim.state import SimState

__all__ = ["SimServer", "SimState", "create_sim_app", "serve"]
