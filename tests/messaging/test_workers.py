"""Real worker processes sending a broadcast through the local gateway: a database-task
worker killed with SIGKILL mid-send and restarted, and Celery workers on the local Redis.
The gateway must count exactly one text per recipient.

These run on PostgreSQL (the workers are other processes and share the test database);
the Celery one also needs Redis at TANDEM_TEST_REDIS_URL (default redis://127.0.0.1:6379/15).
"""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from tandem.directory.models import Caregiver, ContactPoint, Household, Student
from tandem.messaging.models import Delivery, Message
from tandem.messaging.services import release_message
from tandem.smsgateway.server import running_gateway

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TOKEN = "worker-token"
ACCOUNT = "AC" + "9" * 32
REDIS_URL = os.environ.get("TANDEM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def gateway():
    with running_gateway(auth_token=TOKEN, account_sid=ACCOUNT, status_callbacks=False) as gw:
        yield gw


def district_with_families(world, count: int) -> list[str]:
    """`count` more households at the elementary school, one caregiver and phone each."""
    households = Household.objects.bulk_create(
        Household(organization=world.district, name=f"Family {n}") for n in range(count)
    )
    caregivers = Caregiver.objects.bulk_create(
        Caregiver(organization=world.district, household=h, given_name="P") for h in households
    )
    numbers = [f"+1312600{n:04d}" for n in range(count)]
    ContactPoint.objects.bulk_create(
        ContactPoint(caregiver=c, kind="phone", value=number, consent=True)
        for c, number in zip(caregivers, numbers, strict=True)
    )
    Student.objects.bulk_create(
        Student(organization=world.district, household=h, school=world.elementary, grade="02")
        for h in households
    )
    return numbers


def broadcast(world) -> Message:
    message = Message.objects.create(
        organization=world.district,
        author=world.org_admin,
        audience=Message.Audience.SCHOOL,
        school=world.elementary,
        language="en",
        body="School is closed on Monday.",
        status=Message.Status.AWAITING_REVIEW,
    )
    release_message(message=message, versions={"en": (message.body, False)})
    return message


def worker_env(gateway, tmp_path, **extra) -> dict:
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "TANDEM_VAR_DIR": str(tmp_path),
        "TANDEM_TWILIO_API_BASE": gateway.url,
        "TANDEM_TWILIO_ACCOUNT_SID": ACCOUNT,
        "TANDEM_TWILIO_AUTH_TOKEN": TOKEN,
        "TANDEM_TWILIO_FROM": "+13125550000",
        "TANDEM_QUIET_HOURS": "00:00-00:00",
        "TANDEM_DELIVERY_LEASE_SECONDS": "3",
        **extra,
    }


def start(command: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


def finished(message: Message) -> bool:
    return not Delivery.objects.filter(
        message=message, status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
    ).exists()


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


DB_WORKER = [sys.executable, "-m", "tandem.cli", "db_worker", "--no-reload", "--interval", "0.2"]


def test_a_worker_killed_mid_send_and_restarted_sends_each_text_exactly_once(
    world, gateway, tmp_path
):
    numbers = district_with_families(world, 10_000)
    message = broadcast(world)
    env = worker_env(gateway, tmp_path)

    first = start(DB_WORKER, env)
    try:
        wait_until(lambda: len(gateway.counts()) >= 2_000, 120, "the first texts")
        first.send_signal(signal.SIGKILL)
        first.wait()
    finally:
        stop(first)
    killed_at = len(gateway.counts())
    assert killed_at < 10_000, "the worker finished before it could be killed"

    second = start(DB_WORKER, env)
    try:
        wait_until(lambda: finished(message), 300, "every delivery to finish")
    finally:
        stop(second)

    counts = gateway.counts()
    everyone = set(numbers) | {"+13125550101", "+13125550103"}  # García and Hassan too
    assert set(counts) == everyone
    assert set(counts.values()) == {1}
    assert Delivery.objects.filter(message=message, status=Delivery.Status.SENT).count() == len(
        everyone
    )


def _redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def test_celery_workers_on_redis_send_each_text_exactly_once(world, gateway, tmp_path, settings):
    if not _redis_available():
        pytest.skip(f"needs Redis at {REDIS_URL}")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_celery.CeleryBackend",
            "QUEUES": ["default"],
            "OPTIONS": {"CELERY_APP": "tandem.celery.app"},
        }
    }
    from tandem.celery import app

    app.conf.broker_url = app.conf.result_backend = REDIS_URL
    numbers = district_with_families(world, 500)
    env = worker_env(
        gateway,
        tmp_path,
        TANDEM_TASKS="celery",
        TANDEM_CELERY_BROKER_URL=REDIS_URL,
        TANDEM_CELERY_RESULT_BACKEND=REDIS_URL,
    )
    worker = start(
        [sys.executable, "-m", "celery", "-A", "tandem.celery", "worker", "--concurrency", "2"],
        env,
    )
    try:
        message = broadcast(world)
        wait_until(lambda: finished(message), 120, "every delivery to finish")
    finally:
        stop(worker)

    counts = gateway.counts()
    assert set(counts) == set(numbers) | {"+13125550101", "+13125550103"}
    assert set(counts.values()) == {1}
    assert not Delivery.objects.filter(message=message, status=Delivery.Status.SENDING).exists()
