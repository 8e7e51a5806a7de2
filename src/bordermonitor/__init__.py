"""bordermonitor."""
