"""The ``kabar`` command: file commands that run the functions' code without AWS, and API clients."""
