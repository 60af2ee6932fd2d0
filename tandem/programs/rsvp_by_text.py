"""(being written)"""


def answer(conversation, inbound):
    raise NotImplementedError
