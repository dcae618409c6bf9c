package archfixture.voxdesk.alpha.internal;

/** Deliberately reached into by {@code BetaController}, so the architecture rules have something to catch. */
public class AlphaSecrets {
}
