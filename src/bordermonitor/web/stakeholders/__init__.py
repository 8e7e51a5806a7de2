"""The coordinators' pages of the stakeholder register, the engagement log, action plans and the charter
(METHODOLOGY §6; ``docs/stakeholders.md``)."""
