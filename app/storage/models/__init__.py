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
    EventFile,
    EventOrganizer,
    NetworkCourse,
    Participation,
)
from app.storage.models.certificates import Certificate
from app.storage.models.materials import (
    CriteriaSheet, Material, MaterialAuthor, MaterialDecision, MaterialFile, Review, ReviewCriterion,
)
from app.storage.models.system import AppMeta, AuditLog, Counter
from app.storage.models.sync import SyncAggregate, SyncIdentity, SyncPackage, SyncPartner
from app.storage.models.accounts import Account

__all__ = [
    "Agreement", "AgreementParty", "InfoRequest", "Municipality", "Organization",
    "OrganizationRole", "Mentorship", "Teacher", "Diagnostic", "DiagnosticResult",
    "Programme", "Trajectory", "TrajectoryItem", "Community", "CommunityMember",
    "CourseEnrolment", "Event", "EventFile", "EventOrganizer", "NetworkCourse", "Participation",
    "Certificate", "Material", "MaterialAuthor", "MaterialFile", "Review", "CriteriaSheet", "ReviewCriterion",
    "MaterialDecision", "AppMeta", "AuditLog", "Counter",
    "SyncAggregate", "SyncIdentity", "SyncPackage", "SyncPartner",
    "Account",
]
