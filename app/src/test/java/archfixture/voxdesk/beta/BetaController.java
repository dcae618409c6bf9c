package archfixture.voxdesk.beta;

import archfixture.voxdesk.alpha.internal.AlphaSecrets;
import archfixture.voxdesk.alpha.internal.Alphas;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.bind.annotation.RestController;

/** Breaks every house rule at once, so each rule is shown to fire. */
@RestController
public class BetaController {

	@Autowired
	AlphaSecrets secrets;

	private final Alphas alphas;

	BetaController(Alphas alphas) {
		this.alphas = alphas;
	}

	long count() {
		return alphas.count();
	}
}
