"""No machine translation: every translation is written or approved by a person."""


class NoProvider:
    name = "none"

    def supports(self, source: str, target: str) -> bool:
        return False

    def translate(self, texts: list[str], *, source: str, target: str) -> list[str]:
        raise NotImplementedError("the 'none' provider translates nothing")

    def placeholder(self, index: int) -> str:
        return f"[[{index}]]"
