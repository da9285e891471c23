"""bench/peer.py's verdicts: a pair fails under the target or more than 20 % under its baseline; its ratio
is the median of its rounds' ratios (each round's two measurements ran one after the other)."""

from bench.peer import TARGET, pair_ratio, verdicts


def test_a_pair_under_the_target_fails_even_without_a_baseline():
    checked = verdicts({"news list": TARGET - 0.01, "home": 8.0}, {}, {"news list", "home"})
    assert checked["news list"][0] is False and "target" in checked["news list"][1]
    assert checked["home"] == (True, "ok")


def test_more_than_twenty_percent_under_the_baseline_is_a_regression():
    baseline = {"home": 8.0}
    assert verdicts({"home": 6.5}, baseline, {"home"})["home"] == (True, "ok")  # 19 % under
    ok, why = verdicts({"home": 6.3}, baseline, {"home"})["home"]  # 21 % under
    assert not ok and "baseline 8.00" in why


def test_an_ungated_pair_never_fails():
    assert verdicts({"static file": 0.5}, {"static file": 1.0}, set())["static file"] == (True, "not gated")


def test_the_ratio_is_the_median_of_the_rounds():
    runs = {"ours": [{"rps": 300}, {"rps": 100}, {"rps": 330}], "peer": [{"rps": 100}, {"rps": 100}, {"rps": 100}]}
    assert pair_ratio(runs) == 3.0  # a round hit by other load (1.0) does not drag the figure down
