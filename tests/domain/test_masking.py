from app.domain.masking import mask_email, mask_phone, mask_snils, masked


def test_snils_keeps_only_the_tail():
    assert mask_snils("112-233-445 95") == "***-***-445 95"
    assert mask_snils("11223344595") == "***-***-445 95"
    assert mask_snils("") == ""
    assert mask_snils("12") == "***"


def test_phone_keeps_last_two_digits():
    assert mask_phone("+7 (912) 345-67-89") == "+7 (***) ***-**-89"
    assert mask_phone("") == ""


def test_email_keeps_first_letter_and_domain():
    assert mask_email("ivanova.anna@school5.ru") == "i***@school5.ru"
    assert mask_email("broken") == "***"


def test_masked_passes_other_fields_and_unmasked_through():
    assert masked("snils", "112-233-445 95", unmasked=True) == "112-233-445 95"
    assert masked("last_name", "Иванова") == "Иванова"
    assert masked("email", "a@b.ru") == "a***@b.ru"
