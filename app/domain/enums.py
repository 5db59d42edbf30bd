"""Closed vocabularies of the domain, each value with its Russian label.

Values are stable latin codes (stored in the database and in sync packages);
labels are what the user sees.
"""
from __future__ import annotations

from enum import Enum


class LabeledEnum(str, Enum):
    """A string enum whose members carry a Russian label: ``Member = ("code", "Метка")``."""

    def __new__(cls, value: str, label: str):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]

    @classmethod
    def label_of(cls, value: str | None) -> str:
        if value is None:
            return ""
        try:
            return cls(value).label
        except ValueError:
            return value

    @classmethod
    def from_label(cls, text: str) -> "LabeledEnum":
        """Accepts a code or a Russian label, ignoring case."""
        wanted = text.strip().casefold().replace("ё", "е")
        for m in cls:
            if wanted in (m.value.casefold(), m.label.casefold().replace("ё", "е")):
                return m
        raise ValueError(text)


class OrganizationKind(LabeledEnum):
    SCHOOL = ("school", "Общеобразовательная организация")
    KINDERGARTEN = ("kindergarten", "Дошкольная образовательная организация")
    ADDITIONAL = ("additional", "Организация дополнительного образования")
    COLLEGE = ("college", "Профессиональная образовательная организация")
    UNIVERSITY = ("university", "Образовательная организация высшего образования")
    DPO = ("dpo", "Организация дополнительного профессионального образования")
    METHODICAL = ("methodical", "Муниципальная методическая служба")
    REGIONAL_CENTRE = ("regional_centre", "Региональный центр")
    PARTNER_CULTURE = ("partner_culture", "Партнёр: учреждение культуры")
    PARTNER_SPORT = ("partner_sport", "Партнёр: учреждение спорта")
    PARTNER_HEALTH = ("partner_health", "Партнёр: учреждение здравоохранения")
    PARTNER_BUSINESS = ("partner_business", "Партнёр: предприятие")


class NetworkRole(LabeledEnum):
    RESOURCE_CENTRE = ("resource_centre", "Ресурсный центр")
    INTERNSHIP_SITE = ("internship_site", "Стажировочная площадка")
    INNOVATION_SITE = ("innovation_site", "Инновационная площадка")
    EXPERIMENTAL_SITE = ("experimental_site", "Экспериментальная площадка")
    BASE_SCHOOL = ("base_school", "Базовая школа")
    PARTICIPANT = ("participant", "Участник сети")


class QualificationCategory(LabeledEnum):
    NONE = ("none", "Без категории")
    CONFORMITY = ("conformity", "Соответствие занимаемой должности")
    FIRST = ("first", "Первая")
    HIGHEST = ("highest", "Высшая")
    METHODIST = ("methodist", "Педагог-методист")
    MENTOR = ("mentor", "Педагог-наставник")


class ProgrammeForm(LabeledEnum):
    FULL_TIME = ("full_time", "Очная")
    MIXED = ("mixed", "Очно-заочная")
    DISTANCE = ("distance", "Дистанционная")
    NETWORK = ("network", "Сетевая")


class CertificationStatus(LabeledEnum):
    NONE = ("none", "Не проводилась")
    IN_REVIEW = ("in_review", "На экспертизе")
    CERTIFIED = ("certified", "Сертифицирована")
    REJECTED = ("rejected", "Отклонена")


class ItemKind(LabeledEnum):
    PROGRAMME = ("programme", "Программа повышения квалификации")
    INTERNSHIP = ("internship", "Стажировка")
    EVENT = ("event", "Мероприятие")
    MENTORING = ("mentoring", "Наставничество")
    SELF_EDUCATION = ("self_education", "Самообразование")


class Formality(LabeledEnum):
    FORMAL = ("formal", "Формальное")
    NON_FORMAL = ("non_formal", "Неформальное")
    INFORMAL = ("informal", "Информальное")


class ItemStatus(LabeledEnum):
    PLANNED = ("planned", "Запланировано")
    IN_PROGRESS = ("in_progress", "Выполняется")
    COMPLETED = ("completed", "Выполнено")
    CANCELLED = ("cancelled", "Отменено")


class TrajectoryStatus(LabeledEnum):
    DRAFT = ("draft", "Проект")
    ACTIVE = ("active", "Утверждён")
    COMPLETED = ("completed", "Завершён")


class MentorshipForm(LabeledEnum):
    TEACHER_TEACHER = ("teacher_teacher", "Педагог — педагог")
    INDIVIDUAL = ("individual", "Индивидуальная")
    GROUP = ("group", "Групповая")
    REMOTE = ("remote", "Дистанционная")


class CommunityKind(LabeledEnum):
    RMO = ("rmo", "Районное методическое объединение")
    CREATIVE_GROUP = ("creative_group", "Творческая группа")
    WORKING_GROUP = ("working_group", "Рабочая группа")
    PROBLEM_GROUP = ("problem_group", "Проблемная группа")
    ASSOCIATION = ("association", "Профессиональная ассоциация")
    YOUNG_TEACHER_CLUB = ("young_club", "Клуб молодого педагога")
    SCHOOL_OF_EXCELLENCE = ("excellence_school", "Школа педагогического мастерства")


class CommunityRole(LabeledEnum):
    MEMBER = ("member", "Участник")
    MODERATOR = ("moderator", "Модератор")
    HEAD = ("head", "Руководитель")


class EventKind(LabeledEnum):
    SEMINAR = ("seminar", "Семинар")
    WEBINAR = ("webinar", "Вебинар")
    WEB_CONFERENCE = ("web_conference", "Веб-конференция")
    CONFERENCE = ("conference", "Конференция")
    MASTER_CLASS = ("master_class", "Мастер-класс")
    WORKSHOP = ("workshop", "Практикум")
    COMPETITION = ("competition", "Конкурс")
    DISCUSSION = ("discussion", "Дискуссия")
    RMO_MEETING = ("rmo_meeting", "Заседание РМО")
    NMS_MEETING = ("nms_meeting", "Заседание НМС")
    MARATHON = ("marathon", "Педагогический марафон")
    INTERNSHIP = ("internship", "Стажировка")
    OPEN_DAY = ("open_day", "День открытых дверей")
    NETWORK_GAME = ("network_game", "Сетевая игра")
    TRAINING = ("training", "Тренинг")
    LECTURE = ("lecture", "Лекция")
    CONSULTATION = ("consultation", "Консультация")


class EventFormat(LabeledEnum):
    IN_PERSON = ("in_person", "Очно")
    REMOTE = ("remote", "Дистанционно")
    MIXED = ("mixed", "Смешанно")


class EventStatus(LabeledEnum):
    PLANNED = ("planned", "Запланировано")
    HELD = ("held", "Проведено")
    CANCELLED = ("cancelled", "Отменено")


class ParticipationRole(LabeledEnum):
    PARTICIPANT = ("participant", "Участник")
    SPEAKER = ("speaker", "Выступающий")
    ORGANIZER = ("organizer", "Организатор")
    EXPERT = ("expert", "Эксперт")
    JURY = ("jury", "Член жюри")
    WINNER = ("winner", "Победитель")
    PRIZEWINNER = ("prizewinner", "Призёр")


class Attendance(LabeledEnum):
    UNKNOWN = ("unknown", "Не отмечено")
    PRESENT = ("present", "Присутствовал")
    ABSENT = ("absent", "Отсутствовал")
    EXCUSED = ("excused", "Уважительная причина")


class MaterialKind(LabeledEnum):
    GUIDELINES = ("guidelines", "Методические рекомендации")
    PROJECT = ("project", "Проект")
    LESSON_VIDEO = ("lesson_video", "Видеозапись урока или занятия")
    KIM = ("kim", "Контрольно-измерительные материалы")
    ASSESSMENT_SHEET = ("assessment_sheet", "Лист оценки образовательных достижений")
    PROGRAMME = ("programme", "Программа")
    ARTICLE = ("article", "Статья")
    PRESENTATION = ("presentation", "Презентация")
    LESSON_PLAN = ("lesson_plan", "Технологическая карта урока")
    COLLECTION = ("collection", "Сборник")
    # Seed 001 §3.5 and seed 004 §1.5 end the list with «и т.д.»: the usual products of РМО and groups.
    SCENARIO = ("scenario", "Сценарий внеурочного занятия или мероприятия")
    MANUAL = ("manual", "Методическое пособие")
    DIDACTIC = ("didactic", "Дидактические материалы")
    EXPERIENCE = ("experience", "Описание педагогического опыта")


class EducationLevel(LabeledEnum):
    PRESCHOOL = ("preschool", "Дошкольное")
    PRIMARY = ("primary", "Начальное общее")
    BASIC = ("basic", "Основное общее")
    SECONDARY = ("secondary", "Среднее общее")
    VOCATIONAL = ("vocational", "Среднее профессиональное")
    ADDITIONAL = ("additional", "Дополнительное")


class MaterialStatus(LabeledEnum):
    DRAFT = ("draft", "Черновик")
    SUBMITTED = ("submitted", "Подана заявка")
    IN_REVIEW = ("in_review", "На экспертизе")
    APPROVED = ("approved", "Одобрено")
    REVISION = ("revision", "На доработку")
    REJECTED = ("rejected", "Отклонено")


class CouncilDecision(LabeledEnum):
    """The decision on a material after a round of review (методический совет)."""
    APPROVED = ("approved", "Одобрено")
    REVISION = ("revision", "На доработку")
    REJECTED = ("rejected", "Отклонено")


class ReviewDecision(LabeledEnum):
    PENDING = ("pending", "Ожидает заключения")
    APPROVED = ("approved", "Одобрено")
    REVISION = ("revision", "На доработку")
    REJECTED = ("rejected", "Отклонено")


class AgreementKind(LabeledEnum):
    AGREEMENT = ("agreement", "Соглашение о сетевом взаимодействии")
    CONTRACT = ("contract", "Договор о сетевой форме реализации программ")
    COOPERATION = ("cooperation", "Договор о сотрудничестве")


class AgreementStatus(LabeledEnum):
    DRAFT = ("draft", "Проект")
    ACTIVE = ("active", "Действует")
    EXPIRED = ("expired", "Истёк")
    TERMINATED = ("terminated", "Расторгнут")


class RequestStatus(LabeledEnum):
    RECEIVED = ("received", "Получен")
    IN_WORK = ("in_work", "В работе")
    ANSWERED = ("answered", "Дан ответ")
    CLOSED = ("closed", "Закрыт")


class RequestDirection(LabeledEnum):
    INCOMING = ("incoming", "Входящий")
    OUTGOING = ("outgoing", "Исходящий")


COMPETENCES: tuple[tuple[str, str], ...] = (
    ("subject", "Предметные знания"),
    ("methodology", "Методика преподавания предмета"),
    ("fgos", "Требования ФГОС и ФОП"),
    ("assessment", "Оценивание образовательных результатов"),
    ("functional_literacy", "Формирование функциональной грамотности"),
    ("digital", "Цифровые образовательные технологии"),
    ("inclusive", "Инклюзивное образование, работа с детьми с ОВЗ"),
    ("upbringing", "Воспитательная работа"),
    ("psychology", "Психолого-педагогические компетенции"),
    ("communication", "Коммуникация с родителями и коллегами"),
    ("project", "Проектная и исследовательская деятельность"),
    ("management", "Управленческие компетенции"),
)
COMPETENCE_LABELS = dict(COMPETENCES)
