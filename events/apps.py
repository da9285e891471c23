from django.apps import AppConfig

CONSENT_TEXT = (
    "Я, заполняя форму регистрации, даю ГБУ ИМЦ согласие на обработку моих персональных данных "
    "(фамилия, имя, отчество, место работы, должность, адрес электронной почты) в целях регистрации "
    "на мероприятие, направления мне писем о регистрации, изменениях и напоминания о мероприятии, "
    "а также учёта участников организатором. Данные хранятся до окончания мероприятия и один год "
    "после него для отчётности, затем удаляются. Согласие можно отозвать, отменив регистрацию по "
    "ссылке из письма или написав в ИМЦ."
)


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Календарь мероприятий"
    demo_order = 50  # manage.py load_demo runs events/demo.py in this order (core/demo.py)
    methodist_section = True  # «Методисты» may add pages under its section (core/permissions.py)

    def ready(self):
        from wagtail.signals import page_published

        from core.cache import invalidate_on_change
        from core.consent import register_purpose
        from core.slots import register_home_slot

        from .models import Audience, EventPage, EventType, Venue
        from .notices import tell_registrants
        from .slots import home_slot_context

        invalidate_on_change(EventType, Audience, Venue)  # named on event pages and listings (subjects: core)
        page_published.connect(tell_registrants, sender=EventPage, dispatch_uid="events-tell-registrants")

        register_purpose("event_registration", "Регистрация на мероприятия", CONSENT_TEXT)
        register_home_slot("events", order=20, template="events/components/home_slot.html", context=home_slot_context)
