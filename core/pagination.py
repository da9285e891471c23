"""A paginator whose page query counts the whole list too: one query per list page instead of two.

Django's Paginator first runs `SELECT COUNT(*)` (to validate the page number), then the page's own
query. Here the page's query carries `COUNT(*) OVER ()` — the size of the whole filtered list, computed
by the database in the same pass — and the count is taken from its first row. A page that comes back
empty (a number past the end, an empty list) and a number no list reaches fall back to Django's way,
so every answer is the one Paginator would give.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Window

TOTAL = "paginator_total"
MAX_OFFSET = 2**31 - 1  # a page further than this is past any list: counted first, as Django does (no SQL overflow)


class CountingPaginator(Paginator):
    def __init__(self, object_list, per_page, **kwargs):
        if kwargs.get("orphans"):
            raise ValueError("CountingPaginator does not support orphans")
        super().__init__(object_list, per_page, **kwargs)

    def get_page(self, number):
        """Paginator.get_page: page `number`, page 1 when it is not a number, the last page past the end."""
        try:
            number = self._whole(number)
        except ValueError:
            number = 1
        bottom = (number - 1) * self.per_page
        if 0 <= bottom <= MAX_OFFSET and "count" not in self.__dict__:
            rows = list(self.object_list.annotate(**{TOTAL: Window(Count("*"))})[bottom : bottom + self.per_page])
            if rows:
                first = rows[0]  # a model instance, or a dict from .values()
                total = first[TOTAL] if isinstance(first, dict) else getattr(first, TOTAL)
                self.__dict__["count"] = total  # Paginator.count is a cached_property
                return self._get_page(rows, number, self)
        return super().get_page(number)

    @staticmethod
    def _whole(number) -> int:
        # Paginator.validate_number's reading of a page number: an int, a float without fraction, digits
        if isinstance(number, float) and not number.is_integer():
            raise ValueError(number)
        try:
            return int(number)
        except TypeError as error:
            raise ValueError(number) from error
