import { VoxdeskCallButtonElement } from './components/voxdesk-call-button';
import { VoxdeskCampaignMonitorElement } from './components/voxdesk-campaign-monitor';
import { VoxdeskCampaignsElement } from './components/voxdesk-campaigns';
import { VoxdeskExtensionSettingsElement } from './components/voxdesk-extension-settings';
import { VoxdeskPhoneElement } from './components/voxdesk-phone';
import { VoxdeskProviderSettingsElement } from './components/voxdesk-provider-settings';
import { VoxdeskQueueBoardElement } from './components/voxdesk-queue-board';
import { VoxdeskTicketCallsElement } from './components/voxdesk-ticket-calls';

export { configure, globalConfig, SESSION_EXPIRED_EVENT, type SessionExpiredDetail, type TokenProvider, type VoxdeskConfig } from './config';
export { ApiClient, ApiError, NotSignedInError, SessionExpiredError, parseProblem, type FieldError } from './api/client';
export type * from './api/types';
export { resolveLang, translate, messages, type Lang, type MessageKey } from './i18n';
export { Phone, PhoneActionError, type CallInfo, type CallEndedDetail, type IncomingDetail } from './phone/phone';
export { PendingCalls, VOXDESK_CALL_ID_HEADER, API4COM_INTEGRATED_HEADER, type AutoAnswerDecision } from './phone/auto-answer';
export { PhoneStateMachine, nextCallState, nextRegistrationState, type CallState, type RegistrationState } from './phone/state';
export { registrationFailure, microphoneProblem, endCause, type Problem, type EndCause, type ExtensionTestOutcome } from './phone/reasons';
export { jssipAgentFactory } from './phone/jssip-adapter';
export { testRegistration } from './phone/registration-test';
export type { SipAccount, SipAgent, SipAgentFactory, SipCall } from './phone/sip';
export {
  VoxdeskPhoneElement,
  VoxdeskCallButtonElement,
  VoxdeskTicketCallsElement,
  VoxdeskExtensionSettingsElement,
  VoxdeskProviderSettingsElement,
  VoxdeskQueueBoardElement,
  VoxdeskCampaignsElement,
  VoxdeskCampaignMonitorElement,
};

/** The library's version. */
export const version = '0.1.0';

const elements: [string, CustomElementConstructor][] = [
  ['voxdesk-phone', VoxdeskPhoneElement],
  ['voxdesk-call-button', VoxdeskCallButtonElement],
  ['voxdesk-ticket-calls', VoxdeskTicketCallsElement],
  ['voxdesk-extension-settings', VoxdeskExtensionSettingsElement],
  ['voxdesk-provider-settings', VoxdeskProviderSettingsElement],
  ['voxdesk-queue-board', VoxdeskQueueBoardElement],
  ['voxdesk-campaigns', VoxdeskCampaignsElement],
  ['voxdesk-campaign-monitor', VoxdeskCampaignMonitorElement],
];

// Both builds may end up on one page (or one build twice); the first definition wins.
for (const [name, element] of elements) {
  if (!customElements.get(name)) {
    customElements.define(name, element);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'voxdesk-phone': VoxdeskPhoneElement;
    'voxdesk-call-button': VoxdeskCallButtonElement;
    'voxdesk-ticket-calls': VoxdeskTicketCallsElement;
    'voxdesk-extension-settings': VoxdeskExtensionSettingsElement;
    'voxdesk-provider-settings': VoxdeskProviderSettingsElement;
    'voxdesk-queue-board': VoxdeskQueueBoardElement;
    'voxdesk-campaigns': VoxdeskCampaignsElement;
    'voxdesk-campaign-monitor': VoxdeskCampaignMonitorElement;
  }
}
