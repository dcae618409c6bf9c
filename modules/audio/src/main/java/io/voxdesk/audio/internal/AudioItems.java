package io.voxdesk.audio.internal;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** The current tenant's audio library. */
interface AudioItems extends JpaRepository<AudioItem, UUID> {

	@Query("select a from AudioItem a order by a.createdAt desc, a.id")
	List<AudioItem> findAllNewestFirst();

	@Query("select a from AudioItem a where a.kind = ?1 order by a.createdAt desc, a.id")
	List<AudioItem> findByKindNewestFirst(String kind);

	@Query("select a from AudioItem a where a.synthesisKey = ?1")
	Optional<AudioItem> findBySynthesisKey(String synthesisKey);
}
