"""(being written)"""


def report_by_text(conversation, inbound):
    raise NotImplementedError
