"""Repositories: the select() code use cases need, one module per area, reached through the unit of work."""

from __future__ import annotations

from typing import TYPE_CHECKING

from persistence.repositories.access import OperatorRepository, OrganizationRepository, RoleRepository
from persistence.repositories.billing_runs import BillingRunRepository
from persistence.repositories.communications import CommunicationRepository
from persistence.repositories.imports import ImportRepository
from persistence.repositories.invoicing import (
    BackgroundJobRepository,
    CatalogRepository,
    CouponRepository,
    InvoiceRepository,
    PaymentRepository,
    StatementRepository,
)
from persistence.repositories.lgpd import LgpdRepository
from persistence.repositories.merges import MergeRepository
from persistence.repositories.registry import BillingAccountRepository, CustomerRepository, PortalUserRepository
from persistence.repositories.segments import SavedViewRepository, SegmentSelectionRepository
from persistence.repositories.subscriptions import SubscriptionRepository

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class Repositories:
    """Mixed into SqlUnitOfWork: `uow.operators`, `uow.roles`, ... each bound to the unit's session."""

    session: Session

    @property
    def organizations(self) -> OrganizationRepository:
        return OrganizationRepository(self.session)

    @property
    def operators(self) -> OperatorRepository:
        return OperatorRepository(self.session)

    @property
    def roles(self) -> RoleRepository:
        return RoleRepository(self.session)

    @property
    def customers(self) -> CustomerRepository:
        return CustomerRepository(self.session)

    @property
    def billing_accounts(self) -> BillingAccountRepository:
        return BillingAccountRepository(self.session)

    @property
    def portal_users(self) -> PortalUserRepository:
        return PortalUserRepository(self.session)

    @property
    def invoices(self) -> InvoiceRepository:
        return InvoiceRepository(self.session)

    @property
    def catalog(self) -> CatalogRepository:
        return CatalogRepository(self.session)

    @property
    def coupons(self) -> CouponRepository:
        return CouponRepository(self.session)

    @property
    def payments(self) -> PaymentRepository:
        return PaymentRepository(self.session)

    @property
    def statements(self) -> StatementRepository:
        return StatementRepository(self.session)

    @property
    def background_jobs(self) -> BackgroundJobRepository:
        return BackgroundJobRepository(self.session)

    @property
    def saved_views(self) -> SavedViewRepository:
        return SavedViewRepository(self.session)

    @property
    def segment_selection(self) -> SegmentSelectionRepository:
        return SegmentSelectionRepository(self.session)

    @property
    def merges(self) -> MergeRepository:
        return MergeRepository(self.session)

    @property
    def imports(self) -> ImportRepository:
        return ImportRepository(self.session)

    @property
    def lgpd(self) -> LgpdRepository:
        return LgpdRepository(self.session)

    @property
    def communications(self) -> CommunicationRepository:
        return CommunicationRepository(self.session)

    @property
    def subscriptions(self) -> SubscriptionRepository:
        return SubscriptionRepository(self.session)

    @property
    def billing_runs(self) -> BillingRunRepository:
        return BillingRunRepository(self.session)
