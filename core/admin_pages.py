"""Page creation without autosave (issue 9.10).

Wagtail 8 autosaves the «Добавить страницу» form: the first autosave creates the page as a draft, so
an editor who opens the form, types a title and leaves has created a phantom draft whose slug then
blocks the same title («Адрес уже занят»). Edits of existing pages keep autosave; a new page is
created only when the editor saves it. Leaving the form with unsaved changes still asks for
confirmation (Wagtail's w-unsaved controller), so nothing typed is lost silently.
"""

from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.pages.create import CreateView


class PageCreateView(CreateView):
    def get_context_data(self, **kwargs):
        self.autosave_enabled = False
        return super().get_context_data(**kwargs)


create_page = never_cache(require_admin_access(PageCreateView.as_view()))
