"""The benchmarks read wrk's figures from its real output, whatever the thread-stats columns hold."""

import math

from bench.common import latency_ms

# wrk 4.1 output; the thread-stats «Latency» line ends in 72.50 %, which contains «50%».
WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.10ms    1.20ms  25.00ms   72.50%
    Req/Sec     2.60k   150.00     2.90k    68.00%
  Latency Distribution
     50%    2.95ms
     75%    3.60ms
     90%    4.40ms
     99%    7.80ms
  51900 requests in 10.01s, 0.98GB read
Requests/sec:   5185.21
Transfer/sec:    100.50MB
"""


def test_percentiles_come_from_the_distribution_block():
    assert latency_ms(WRK_OUTPUT, 50) == 2.95
    assert latency_ms(WRK_OUTPUT, 99) == 7.8


def test_units_are_converted_to_milliseconds():
    output = WRK_OUTPUT.replace("2.95ms", "950.00us").replace("7.80ms", "1.20s")
    assert math.isclose(latency_ms(output, 50), 0.95)
    assert math.isclose(latency_ms(output, 99), 1200.0)


def test_a_run_without_completed_requests_is_nan_not_a_crash():
    assert math.isnan(latency_ms("  Latency Distribution\n     50%    -nan\n", 50))
