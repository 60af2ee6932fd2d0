"""Background work for listening; thin, it calls the services."""

from django.tasks import task


@task
def translate_answer(answer_id: int) -> None:
    """Put a family's answer into the campaign's staff language."""
    from tandem.listening.answers import request_answer_translation

    request_answer_translation(answer_id)


@task
def find_themes_later(campaign_id: int, question_id: int | None, actor_id: int) -> None:
    """Group a campaign's answers into themes: minutes for thousands of answers."""
    from tandem.listening.themes import find_requested_themes

    find_requested_themes(campaign_id, question_id, actor_id)
