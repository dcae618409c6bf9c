package io.voxdesk.extensions.internal;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** The extensions of the current tenant's users. */
interface Extensions extends JpaRepository<Extension, UUID> {

	@Query("select e from Extension e where e.userId = ?1")
	Optional<Extension> findByOwner(String userId);

	@Query("select e from Extension e where e.extension = ?1")
	Optional<Extension> findByNumber(String extension);

	@Query("select e from Extension e order by e.extension")
	List<Extension> findAllInOrder();
}
