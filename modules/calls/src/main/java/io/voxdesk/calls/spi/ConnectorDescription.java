package io.voxdesk.calls.spi;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.voxdesk.calls.ProviderKind;

/**
 * What a connector declares about itself: the kind of provider it drives, the settings (secret included) a tenant
 * admin fills in, and the capabilities of its provider. Voxdesk validates connections, renders the settings form and
 * offers call controls from it, so a new connector needs no change outside its own module.
 *
 * @param displayName the provider's name as people know it, e.g. "Asterisk".
 * @param settings in form order; exactly one is the {@linkplain ConnectorSetting#secret() secret}.
 */
public record ConnectorDescription(ProviderKind kind, String displayName, List<ConnectorSetting> settings,
		Set<Capability> capabilities) {

	public ConnectorDescription {
		Objects.requireNonNull(kind);
		Objects.requireNonNull(displayName);
		settings = List.copyOf(settings);
		// In declaration order, so that what the API serves is the same from run to run.
		capabilities = Collections.unmodifiableSet(capabilities.isEmpty() ? EnumSet.noneOf(Capability.class)
				: EnumSet.copyOf(capabilities));
		var names = new HashSet<String>();
		for (var setting : settings) {
			if (!names.add(setting.name())) {
				throw new IllegalArgumentException(kind + " declares setting " + setting.name() + " twice");
			}
		}
		if (settings.stream().filter(ConnectorSetting::secret).count() != 1) {
			throw new IllegalArgumentException(kind + " must declare exactly one secret setting");
		}
	}

	/** The setting that holds the connection's secret. */
	public ConnectorSetting secret() {
		return settings.stream().filter(ConnectorSetting::secret).findFirst().orElseThrow();
	}

	/** The settings stored in the clear, keyed as in {@link io.voxdesk.calls.ProviderConnectionDraft#settings()}. */
	public List<ConnectorSetting> plainSettings() {
		return settings.stream().filter(setting -> !setting.secret()).toList();
	}

	public boolean can(Capability capability) {
		return capabilities.contains(capability);
	}
}
