"""The low-vision version (ГОСТ Р 52872-2019): preferences kept in a cookie, applied by the server.

The page is the same page; the server adds classes to <html> that the stylesheet turns into large
type, high-contrast schemes, spacing, hidden or grey images and hidden embeds.
"""

from dataclasses import asdict, dataclass

COOKIE_NAME = "lv"
COOKIE_MAX_AGE = 365 * 24 * 3600

OPTIONS = {
    "size": [("100", "100 %"), ("125", "125 %"), ("150", "150 %"), ("175", "175 %"), ("200", "200 %")],
    "scheme": [
        ("bw", "Чёрным по белому"),
        ("wb", "Белым по чёрному"),
        ("blue", "Тёмно-синим по голубому"),
        ("brown", "Коричневым по бежевому"),
        ("green", "Зелёным по тёмно-коричневому"),
    ],
    "font": [("sans", "Без засечек"), ("serif", "С засечками")],
    "images": [("on", "Показывать"), ("grey", "Чёрно-белые"), ("off", "Скрыть")],
    "spacing": [("normal", "Обычный"), ("wide", "Увеличенный"), ("widest", "Большой")],
    "line": [("normal", "Обычный"), ("wide", "Полуторный"), ("widest", "Двойной")],
    "embeds": [("on", "Показывать"), ("off", "Скрыть")],
}


@dataclass(frozen=True)
class LowVision:
    enabled: bool = False
    size: str = "100"
    scheme: str = "bw"
    font: str = "sans"
    images: str = "on"
    spacing: str = "normal"
    line: str = "normal"
    embeds: str = "on"

    @classmethod
    def from_mapping(cls, data) -> "LowVision":
        values = {}
        for name, choices in OPTIONS.items():
            value = data.get(name)
            if value in {key for key, _ in choices}:
                values[name] = value
        return cls(enabled=data.get("on", "1") == "1", **values)

    @classmethod
    def from_cookie(cls, raw: str | None) -> "LowVision":
        """Unknown keys and values are ignored; a cookie with nothing recognisable means «off»."""
        if not raw or len(raw) > 200:
            return cls()
        pairs = dict(part.split("-", 1) for part in raw.split(".") if "-" in part)
        if not any(pairs.get(name) in {key for key, _ in choices} for name, choices in OPTIONS.items()):
            return cls()
        pairs.pop("on", None)
        return cls.from_mapping(pairs)

    def to_cookie(self) -> str:
        if not self.enabled:
            return ""
        data = asdict(self)
        data.pop("enabled")
        return ".".join(f"{key}-{value}" for key, value in data.items())

    @property
    def html_classes(self) -> str:
        if not self.enabled:
            return ""
        return " ".join(["lv"] + [f"lv-{name}-{value}" for name, value in asdict(self).items() if name != "enabled"])
