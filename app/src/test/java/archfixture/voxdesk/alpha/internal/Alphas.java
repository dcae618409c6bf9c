package archfixture.voxdesk.alpha.internal;

import org.springframework.data.repository.CrudRepository;

/** A repository of module alpha, used by module beta's controller on purpose. */
public interface Alphas extends CrudRepository<AlphaSecrets, Long> {
}
