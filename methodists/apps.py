from django.apps import AppConfig

QUESTION_CONSENT_TEXT = """Я, заполняя форму «Вопрос методисту» на сайте, даю согласие Государственному бюджетному учреждению дополнительного профессионального образования информационно-методическому центру Центрального района Санкт-Петербурга (191024, Санкт-Петербург, Невский пр., д. 154, пом. 2-Н) на обработку моих персональных данных: имени, адреса электронной почты и текста вопроса.

Цель обработки: ответ на мой вопрос методистом ИМЦ по выбранному предмету (направлению). Действия с данными: сбор, запись, хранение, передача методисту ИМЦ, которому адресован вопрос, удаление. Данные не передаются третьим лицам и хранятся на серверах в Российской Федерации.

Срок: данные хранятся один год со дня получения вопроса, затем удаляются. Я могу отозвать согласие в любой момент, написав на адрес электронной почты ИМЦ; отзыв не влияет на доступ к материалам сайта.

Я понимаю, что вопрос методисту — консультация, а не обращение гражданина в смысле Федерального закона № 59-ФЗ; официальное обращение направляется через портал Госуслуг."""


class MethodistsConfig(AppConfig):
    name = "methodists"
    verbose_name = "Методисты"
    demo_order = 20  # manage.py load_demo runs methodists/demo.py in this order (core/demo.py)
    methodist_section = True  # «Методисты» may add pages under its section (core/permissions.py)

    def ready(self):
        from wagtail.signals import page_published

        from core.consent import register_purpose
        from core.permissions import on_page_published

        register_purpose("question", "Вопрос методисту", QUESTION_CONSENT_TEXT)
        page_published.connect(on_page_published, dispatch_uid="core.permissions.grant_methodists")
