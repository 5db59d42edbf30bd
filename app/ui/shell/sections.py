"""The sections of the main window: what the sidebar lists and what each page shows."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tab:
    entity: str
    label: str
    search_hint: str = "Поиск"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    description: str
    tabs: tuple[Tab, ...] = ()      # empty for a page that is not a list of records
    reports: tuple[str, ...] = ()   # read-only report tabs after the lists (pages.REPORT_TABS keys)
    page: str = ""                  # a page of its own instead of lists (pages.custom_page keys)

    @property
    def entities(self) -> tuple[str, ...]:
        return tuple(t.entity for t in self.tabs)


SECTIONS: tuple[Section, ...] = (
    # «Главная» is drawn by dashboard_page.DashboardPage, not as lists.
    Section("dashboard", "Главная",
            "Ключевые показатели сети и то, что требует внимания. Щелчок по числу, столбцу или строке "
            "открывает записи."),
    Section("organizations", "Организации",
            "Образовательные организации и партнёры — участники сетевого взаимодействия.",
            (Tab("organizations", "Организации", "Поиск по названию, ИНН, адресу"),)),
    Section("teachers", "Педагоги",
            "Педагогические работники и управленческие кадры организаций сети.",
            (Tab("teachers", "Педагоги", "Поиск по ФИО, СНИЛС, почте, организации"),)),
    Section("development", "Повышение квалификации",
            "Программы, диагностика профессиональных дефицитов, индивидуальные маршруты и наставничество.",
            (Tab("programmes", "Программы", "Поиск по названию, провайдеру, номеру в реестре"),
             Tab("diagnostics", "Диагностика дефицитов", "Поиск по ФИО педагога"),
             Tab("trajectories", "Маршруты (ИОМ)", "Поиск по ФИО педагога"),
             Tab("mentorships", "Наставничество", "Поиск по ФИО наставника или наставляемого")),
            ("pd_due", "pd_coverage", "young_without_mentor")),
    Section("events", "Мероприятия",
            "Сетевые события: семинары, вебинары, конференции, мастер-классы, конкурсы — и участие в них.",
            (Tab("events", "Мероприятия", "Поиск по названию, месту, аудитории"),
             Tab("participations", "Участие", "Поиск по мероприятию, педагогу, организации")),
            ("certificates",)),
    Section("materials", "Материалы",
            "Продукты сетевого взаимодействия и методические материалы, их экспертиза.",
            (Tab("materials", "Материалы", "Поиск по названию, предмету, ключевым словам, описанию, организации"),
             Tab("best_practices", "Банк лучших практик", "Поиск по словам названия, описания, ключевым словам"),
             Tab("reviews", "Экспертиза", "Поиск по материалу или эксперту"),
             Tab("criteria_sheets", "Листы оценки", "Поиск по названию"))),
    Section("communities", "Сообщества",
            "Педагогические сообщества, РМО, творческие и рабочие группы, клубы молодого педагога.",
            (Tab("communities", "Сообщества", "Поиск по названию, проблеме, модератору"),)),
    Section("agreements", "Договоры",
            "Договоры и соглашения о сетевом взаимодействии; сетевые курсы профильного обучения.",
            (Tab("agreements", "Договоры", "Поиск по номеру и предмету"),
             Tab("courses", "Сетевые курсы", "Поиск по названию, предмету, профилю, базовой организации"))),
    Section("requests", "Запросы",
            "Запросы в рамках сетевого взаимодействия: входящие и исходящие, сроки ответа.",
            (Tab("requests", "Запросы", "Поиск по номеру, теме, исполнителю, организациям"),)),
    Section("reports", "Отчёты",
            "Отчёты для руководителя и для региона: выберите отчёт, задайте период и организацию, "
            "посмотрите его и сохраните в Excel или PDF. Те же отчёты — в командной строке: ./run report --list.",
            page="report_catalogue"),
    Section("exchange", "Обмен с регионом",
            "Обмен данными с региональным центром: пакет изменений в одном файле для передачи по электронной "
            "почте или на флешке, квитанции о приёме и каталоги из региона (программы, план мероприятий). "
            "Пакеты подписаны и зашифрованы для получателя; повреждённый или чужой пакет отклоняется, "
            "и в базе ничего не меняется."),
)


def section(key: str) -> Section:
    for s in SECTIONS:
        if s.key == key:
            return s
    raise KeyError(key)


def section_of_report(report: str) -> Section:
    return next(s for s in SECTIONS if report in s.reports)


def section_of_entity(entity: str) -> Section:
    for s in SECTIONS:
        if entity in s.entities:
            return s
    raise KeyError(entity)
