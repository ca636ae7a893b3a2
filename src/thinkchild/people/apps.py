from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "thinkchild.people"
    label = "people"
