"""Running the whole system on this machine: the demo, the local process runner, the embedded Redis."""
