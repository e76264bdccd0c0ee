"""The Codex `exec --json` run on "Retry failed webhooks with backoff": tests written, then a resumed turn that
fails when the stream to the model drops."""
from formats import CODEX_THREAD, CWD, write

DELIVERY_PY = '''import random

import requests
from django.utils import timezone

from .models import Delivery

BASE_DELAY = 30  # seconds


def next_attempt_at(delivery):
    delay = BASE_DELAY * 2 ** delivery.attempts
    return timezone.now() + timezone.timedelta(seconds=delay + random.uniform(0, delay / 10))


def deliver(delivery):
    try:
        response = requests.post(delivery.endpoint.url, json=delivery.payload, timeout=10)
    except requests.RequestException as error:
        return schedule_retry(delivery, str(error))
    if response.status_code >= 400:
        return schedule_retry(delivery, f"HTTP {response.status_code}")
    delivery.mark_delivered()


def schedule_retry(delivery, reason):
    delivery.attempts += 1
    if delivery.attempts >= delivery.endpoint.max_attempts:
        return delivery.give_up(reason)
    delivery.retry_at = next_attempt_at(delivery)
    delivery.last_error = reason
    delivery.save(update_fields=["attempts", "retry_at", "last_error"])'''

PYTEST_FAIL = '''..F..F                                                                   [100%]
=================================== FAILURES ===================================
_______________________ test_delay_is_capped_at_one_hour _______________________

    def test_delay_is_capped_at_one_hour(delivery_factory, frozen_now):
        delivery = delivery_factory(attempts=12)
        delay = (next_attempt_at(delivery) - frozen_now).total_seconds()
>       assert delay <= 3600 * 1.1
E       assert 122880.0 <= 3960.0

tests/webhooks/test_retry_schedule.py:31: AssertionError
_____________________ test_gone_endpoint_is_not_retried _______________________

    def test_gone_endpoint_is_not_retried(delivery_factory, responses):
        delivery = delivery_factory()
        responses.post(delivery.endpoint.url, status=410)
        deliver(delivery)
>       assert delivery.state == "given_up"
E       AssertionError: assert 'retrying' == 'given_up'

tests/webhooks/test_retry_schedule.py:52: AssertionError
=========================== short test summary info ============================
FAILED tests/webhooks/test_retry_schedule.py::test_delay_is_capped_at_one_hour
FAILED tests/webhooks/test_retry_schedule.py::test_gone_endpoint_is_not_retried
2 failed, 4 passed in 0.92s
'''


def command(events, n, cmd, output, exit_code):
    item = {"id": f"item_{n}", "type": "command_execution", "command": cmd, "aggregated_output": "", "exit_code": None,
            "status": "in_progress"}
    events.append({"type": "item.started", "item": item})
    events.append({"type": "item.completed", "item": dict(item, aggregated_output=output, exit_code=exit_code,
                                                          status="completed" if exit_code == 0 else "failed")})


def done(events, n, kind, **fields):
    events.append({"type": "item.completed", "item": dict({"id": f"item_{n}", "type": kind}, **fields)})


def write_all():
    e = [{"type": "thread.started", "thread_id": CODEX_THREAD}, {"type": "turn.started"}]
    done(e, 0, "reasoning", text="**Locating the retry schedule**\n\nI need to find where failed deliveries are rescheduled "
                                  "before writing tests for the backoff.")
    command(e, 1, "bash -lc \"rg -n 'retry|backoff' app/webhooks\"",
            "app/webhooks/delivery.py:9:BASE_DELAY = 30  # seconds\napp/webhooks/delivery.py:12:def next_attempt_at(delivery):\n"
            "app/webhooks/delivery.py:23:        return schedule_retry(delivery, str(error))\n"
            "app/webhooks/delivery.py:25:        return schedule_retry(delivery, f\"HTTP {response.status_code}\")\n"
            "app/webhooks/delivery.py:29:def schedule_retry(delivery, reason):\n"
            "app/webhooks/models.py:41:    retry_at = models.DateTimeField(null=True, db_index=True)\n", 0)
    command(e, 2, "bash -lc \"sed -n '1,40p' app/webhooks/delivery.py\"", DELIVERY_PY + "\n", 0)
    command(e, 3, "bash -lc 'ls tests/webhooks'", "__init__.py\nconftest.py\ntest_signing.py\n", 0)
    done(e, 4, "reasoning", text="**Planning the tests**\n\nCover: exponential growth, jitter bounds, the cap the task asks "
                                  "for (one hour), giving up after max_attempts, 4xx that must not be retried (410 Gone), "
                                  "and network errors that must be.")
    e.append({"type": "item.started", "item": {"id": "item_5", "type": "file_change", "changes": [
        {"path": f"{CWD}/tests/webhooks/test_retry_schedule.py", "kind": "add"}], "status": "in_progress"}})
    done(e, 5, "file_change", changes=[{"path": f"{CWD}/tests/webhooks/test_retry_schedule.py", "kind": "add"}], status="completed")
    command(e, 6, "bash -lc 'pytest tests/webhooks/test_retry_schedule.py -q'", PYTEST_FAIL, 1)
    done(e, 7, "agent_message", text="I added six tests for the retry schedule in tests/webhooks/test_retry_schedule.py. Two "
                                      "fail, and both are real bugs rather than test mistakes:\n\n"
                                      "- the delay is never capped: after 12 attempts the next retry is 34 hours away;\n"
                                      "- a 410 Gone answer is retried like any other error, although the endpoint will "
                                      "never come back.\n\nShall I fix delivery.py?")
    e.append({"type": "turn.completed", "usage": {"input_tokens": 48211, "cached_input_tokens": 40960, "output_tokens": 2874}})

    # `codex exec resume`: the person said yes; the stream to the model drops mid-turn.
    e += [{"type": "thread.started", "thread_id": CODEX_THREAD}, {"type": "turn.started"}]
    done(e, 8, "reasoning", text="**Capping the delay and stopping on 410**\n\nmin(BASE_DELAY * 2 ** attempts, MAX_DELAY) "
                                  "before the jitter; treat 410 as permanent and give up at once.")
    e.append({"type": "item.started", "item": {"id": "item_9", "type": "file_change", "changes": [
        {"path": f"{CWD}/app/webhooks/delivery.py", "kind": "update"}], "status": "in_progress"}})
    done(e, 9, "file_change", changes=[{"path": f"{CWD}/app/webhooks/delivery.py", "kind": "update"}], status="completed")
    command(e, 10, "bash -lc 'pytest tests/webhooks -q'",
            "...........                                                              [100%]\n11 passed in 1.07s\n", 0)
    e.append({"type": "turn.failed", "error": {"message": "stream disconnected before completion: error sending request for "
                                                          "url (https://api.openai.com/v1/responses)"}})
    write("codex/exec-webhook-retry-tests.jsonl", e)
