package io.voxdesk.calls.internal;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** The provider connections of the current tenant. */
interface ProviderConnections extends JpaRepository<ProviderConnectionRecord, UUID> {

	@Query("select c from ProviderConnectionRecord c order by c.createdAt")
	List<ProviderConnectionRecord> findAllInOrder();

	@Query("select c from ProviderConnectionRecord c where c.enabled = true")
	Optional<ProviderConnectionRecord> findEnabled();
}
