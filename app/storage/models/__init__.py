"""All ORM models; importing this package registers every table on ``Base.metadata``."""
from app.storage.models.network import (
    Agreement,
    AgreementParty,
    InfoRequest,
    Municipality,
    Organization,
    OrganizationRole,
)
from app.storage.models.people import Mentorship, Teacher
from app.storage.models.development import (
    Diagnostic,
    DiagnosticResult,
    Programme,
    Trajectory,
    TrajectoryItem,
)
from app.storage.models.activity import (
    Community,
    CommunityMember,
    CourseEnrolment,
    Event,
    EventOrganizer,
    NetworkCourse,
    Participation,
)
from app.storage.models.materials import Material, MaterialAuthor, MaterialFile, Review
from app.storage.models.system import AppMeta, AuditLog, Counter
from app.storage.models.accounts import Account

__all__ = [
    "Agreement", "AgreementParty", "InfoRequest", "Municipality", "Organization",
    "OrganizationRole", "Mentorship", "Teacher", "Diagnostic", "DiagnosticResult",
    "Programme", "Trajectory", "TrajectoryItem", "Community", "CommunityMember",
    "CourseEnrolment", "Event", "EventOrganizer", "NetworkCourse", "Participation",
    "Material", "MaterialAuthor", "MaterialFile", "Review", "AppMeta", "AuditLog", "Counter",
    "Account",
]
