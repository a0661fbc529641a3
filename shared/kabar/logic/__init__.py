"""Business logic: takes and returns models; knows nothing of events or the environment."""
