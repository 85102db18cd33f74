"""Sample data: four real post-inspection action plans (recommendation texts verbatim from the
councils' cabinet reports), four quarterly reviews each, and the Excel trackers drawn from them.

- `sample_data.plans.build_plans()` — the plans in memory (deterministic).
- `python -m sample_data.generate [--check]` — writes (or verifies) sample_data/trackers/*.xlsx.
- `python -m data_access seed` — loads the plans into the database.
"""
