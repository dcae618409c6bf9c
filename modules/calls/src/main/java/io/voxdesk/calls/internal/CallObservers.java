package io.voxdesk.calls.internal;

import io.voxdesk.calls.CallDetails;
import io.voxdesk.calls.CallObserver;
import io.voxdesk.tenants.TenantId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Hands each committed call state to the {@link CallObserver}s, without a second read. */
@Component
class CallObservers {

	private static final Logger log = LoggerFactory.getLogger(CallObservers.class);

	private final ObjectProvider<CallObserver> observers;

	CallObservers(ObjectProvider<CallObserver> observers) {
		this.observers = observers;
	}

	/** After the current transaction commits (at once without one); nothing if it rolls back. */
	void changed(TenantId tenant, CallDetails call) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			tell(tenant, call);
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				tell(tenant, call);
			}
		});
	}

	private void tell(TenantId tenant, CallDetails call) {
		observers.orderedStream().forEach(observer -> {
			try {
				observer.changed(tenant, call);
			}
			catch (RuntimeException e) {
				log.warn("Call observer {} failed for call {}: {}", observer.getClass().getSimpleName(), call.id(),
						e.toString());
			}
		});
	}
}
