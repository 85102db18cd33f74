"""The movement rules (data_access.domain.movement_rules): completed, improved, slipped, direction."""

from data_access.domain.movement_rules import DIRECTION_RULE, direction_of, is_completed, is_improved, is_slipped


def test_status_rules_for_lists():
    assert is_slipped("complete", "unknown") and is_slipped("complete", "green")
    assert is_slipped("green", "red") and not is_slipped("unknown", "red")
    assert is_completed("unknown", "complete") and not is_completed("complete", "complete")
    assert is_improved("red", "amber") and not is_improved("red", "complete")
    assert not is_improved("unknown", "green")


def test_direction_of_rule():
    assert direction_of(2, 1) == "improving"
    assert direction_of(1, 2) == "worsening"
    assert direction_of(1, 1) == "same"
    assert direction_of(0, 0) == "same"
    assert "↑" in DIRECTION_RULE and "↓" in DIRECTION_RULE and "→" in DIRECTION_RULE
