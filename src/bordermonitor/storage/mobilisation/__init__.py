"""The network's mobilisation log around the stakeholder register (METHODOLOGY §6): engagement events, action
plans with their targets and measures, and the charter. ``bordermonitor.storage.stakeholders`` is the one
public entry point; these modules split it by concept."""
