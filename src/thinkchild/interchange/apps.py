from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "thinkchild.interchange"
    label = "interchange"
