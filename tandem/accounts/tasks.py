"""Background work for accounts: sending a family's sign-in code."""

from django.tasks import task

from tandem.accounts import services


@task
def send_sign_in_code(*, sign_in_id: int) -> bool:
    return services.deliver_sign_in_code(sign_in_id=sign_in_id)
