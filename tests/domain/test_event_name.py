"""The kind and the title of an event on a certificate, each once."""
from app.domain.wording import event_name


def test_kind_and_quotes_are_added_once():
    assert event_name("Семинар", "Читательская грамотность") == "Семинар «Читательская грамотность»"
    assert event_name("Семинар", "Семинар «Естественнонаучная грамотность»") == \
        "Семинар «Естественнонаучная грамотность»"
    assert event_name("Семинар", "«Цифровая среда»") == "Семинар «Цифровая среда»"
    assert event_name("", "Форум молодых педагогов") == "«Форум молодых педагогов»"
    assert event_name("Вебинар", "вебинар для наставников") == "вебинар для наставников"
