package io.voxdesk.testing.arisim;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * A test double of Asterisk 22's REST Interface: HTTP and WebSocket on 127.0.0.1, behaving like the recorded traffic
 * of a real Asterisk 22.10.1 (see the module's README for what it reproduces and what it does not).
 */
public final class AriSimulator implements AutoCloseable {

	private final AriSimulatorSettings settings;

	private final Pbx pbx;

	private final AtomicBoolean refuseWebSockets = new AtomicBoolean();

	private final AtomicLong handshakeDelay = new AtomicLong();

	private final AriServer server;

	private AriSimulator(AriSimulatorSettings settings) {
		this.settings = settings;
		this.pbx = new Pbx(settings);
		try {
			this.server = new AriServer(pbx, new AdminApi(this), refuseWebSockets::get, handshakeDelay::get);
		}
		catch (RuntimeException ex) {
			pbx.close();
			throw ex;
		}
	}

	/** Starts a simulator on 127.0.0.1; port 0 in the settings picks a free port. */
	public static AriSimulator start(AriSimulatorSettings settings) {
		return new AriSimulator(settings);
	}

	public int port() {
		return server.port();
	}

	/** The server's base URL without {@code /ari}, as ari4java wants it, e.g. {@code http://127.0.0.1:34567/}. */
	public URI baseUrl() {
		return URI.create("http://127.0.0.1:" + port() + "/");
	}

	public AriSimulatorSettings settings() {
		return settings;
	}

	/** Decides how the far end behaves when {@code number} (the part before {@code @}) is dialled. */
	public void script(String number, CallScript script) {
		pbx.script(number, script);
	}

	/** The behaviour of numbers without a script; initially answer after 200 ms and stay up. */
	public void defaultScript(CallScript script) {
		pbx.defaultScript(script);
	}

	/** A snapshot of the live channels. */
	public List<SimChannel> channels() {
		return pbx.simChannels();
	}

	/** The endpoints originated so far, in order, e.g. {@code PJSIP/1001}, {@code PJSIP/5548999990000@trunk}. */
	public List<String> dialled() {
		return pbx.dialled();
	}

	/**
	 * When channels entered Stasis and originates came in, by the wall clock, oldest first: what a benchmark in
	 * another process measures the application against. Also served as {@code GET /_sim/history}.
	 */
	public List<String> history() {
		return pbx.history()
			.stream()
			.map(moment -> moment.at() + " " + moment.kind() + " " + moment.channel() + " " + moment.endpoint() + " "
					+ String.join(",", moment.args()))
			.toList();
	}

	/** Forgets the history so far ({@code DELETE /_sim/history}). */
	public void clearHistory() {
		pbx.clearHistory();
	}

	Pbx pbx() {
		return pbx;
	}

	/**
	 * Numbers starting with {@code prefix} (digits; {@code ""} for all) and not scripted one by one behave by the mix:
	 * e.g. 60 % answer, 15 % no answer, 10 % busy, 10 % machine, 5 % fail. The longest matching prefix wins.
	 */
	public void mix(String prefix, OutcomeMix mix) {
		pbx.mix(prefix, mix);
	}

	public void removeMix(String prefix) {
		pbx.removeMix(prefix);
	}

	/** At most {@code limit} channels up at once (0: none); an originate past it gets 500 "Allocation failed". */
	public void channelLimit(int limit) {
		pbx.channelLimit(limit);
	}

	/** Every playback asked for so far, in order, as {@code bridge:<id>=<media>} or {@code channel:<id>=<media>}. */
	public List<String> played() {
		return pbx.played();
	}

	/**
	 * Every HTTP request made to play {@code sound:http://…} media, oldest first, as {@code <status> <url>} with
	 * {@code (revalidated)} for a conditional request; status 0 when the server could not be reached.
	 */
	public List<String> mediaFetches() {
		return pbx.mediaFetches()
			.stream()
			.map(fetch -> fetch.status() + " " + fetch.url() + (fetch.conditional() ? " (revalidated)" : ""))
			.toList();
	}

	/** The music on hold class playing to the channel ({@code ""}: its default), if any. */
	public Optional<String> musicOnHold(String channelId) {
		return pbx.musicOnHold(channelId);
	}

	/** The music on hold class playing into a bridge ({@code ""} for the default class), if any. */
	public Optional<String> bridgeMusic(String bridgeId) {
		return pbx.bridgeMusic(bridgeId);
	}

	/** What the PBX logged about requests it accepted but could not carry out, e.g. a redirect on a Local channel. */
	public List<String> notices() {
		return pbx.notices();
	}

	/** Takes a module out of the running ones, like an Asterisk built or configured without it. */
	public void unloadModule(String name) {
		pbx.unloadModule(name);
	}

	/** How many event WebSockets are open now: a client that leaks superseded sockets shows here. */
	public int openEventSockets() {
		return server.openEventSockets();
	}

	/** How many event WebSocket upgrades were asked for since the start, refused ones included. */
	public int eventSocketRequests() {
		return server.eventSocketRequests();
	}

	/** The server closes every event WebSocket, as if Asterisk restarted; calls stay up, missed events are lost. */
	public void dropWebSockets() {
		pbx.dropWebSockets();
	}

	/** Answers event WebSocket upgrades only after {@code delay}, like a busy or distant PBX. */
	public void delayWebSockets(Duration delay) {
		handshakeDelay.set(delay.toMillis());
	}

	/** While true, WebSocket upgrades are answered with HTTP 503, as if only the WebSocket side of Asterisk is down. */
	public void refuseWebSockets(boolean refuse) {
		refuseWebSockets.set(refuse);
	}

	/**
	 * A customer calls {@code dialled} (digits) the way the recording {@code inbound_bridge} did it: a Local channel
	 * to {@code [inbound]}, whose {@code ;2} half enters {@code Stasis(<app>,inbound,<dialled>)} in state
	 * {@code Ring} with the caller id given. Returns the id of the caller's side ({@code ;1}), which
	 * {@link #hangUpFromFarEnd} hangs up as the customer giving up.
	 *
	 * @param app the Stasis application the call enters; {@literal null}: the only connected one.
	 */
	public String callIn(@Nullable String app, String dialled, String callerName, String callerNumber) {
		return pbx.callIn(app, dialled, callerName, callerNumber);
	}

	/**
	 * {@code count} customers call {@code dialled}, one every {@code spacing}, from {@code firstNumber},
	 * {@code firstNumber + 1}, ..., placed by a thread of the simulator's own: a burst of calls arriving from a trunk,
	 * without a client's HTTP request per call (which, on the machine under test, would weigh on what is measured).
	 * Returns at once; {@code GET /_sim/history} says when each caller entered Stasis.
	 */
	public void burst(@Nullable String app, String dialled, String callerName, long firstNumber, int count,
			Duration spacing) {
		Thread.ofPlatform().name("sim-burst").daemon().start(() -> {
			long started = System.nanoTime();
			for (int n = 0; n < count; n++) {
				long due = started + n * spacing.toNanos();
				long wait;
				while ((wait = due - System.nanoTime()) > 0) {
					LockSupport.parkNanos(wait);
				}
				try {
					pbx.callIn(app, dialled, callerName, Long.toString(firstNumber + n));
				}
				catch (RuntimeException ex) {
					System.getLogger(AriSimulator.class.getName())
						.log(System.Logger.Level.WARNING, "Burst caller {0} not placed: {1}", firstNumber + n, ex.getMessage());
				}
			}
		});
	}

	/**
	 * The phone of {@code extension} dials {@code number} and the PBX sends the call to Voxdesk with
	 * {@code Stasis(<app>,outbound,<number>)}; answers the phone side's channel id, which
	 * {@link #hangUpFromFarEnd} hangs up as the agent putting the phone down.
	 */
	public String callOut(@Nullable String app, String extension, String number) {
		return pbx.callOut(app, extension, number);
	}

	/**
	 * A phone registers ({@code online}) or goes away ({@code offline}): {@code EndpointStateChange} to the
	 * applications that follow the endpoint, and an offline endpoint cannot be dialled ({@code Allocation failed}).
	 */
	public void endpointState(String technology, String resource, String state) {
		pbx.endpointState(technology, resource, state);
	}

	/** The far end hangs up a live channel with a Q.850 cause (16 normal clearing, 17 busy, ...). */
	public void hangUpFromFarEnd(String channelId, int cause) {
		pbx.hangUpFromFarEnd(channelId, cause);
	}

	/**
	 * The far end of a ringing PJSIP/SIP/IAX2 channel picks up now, whatever its script says: the events of a
	 * scripted answer at this moment. Meant for {@link CallScript#noAnswer()} channels that a test answers when it
	 * is ready (e.g. once a real phone took the call).
	 *
	 * @throws IllegalArgumentException no such live channel
	 * @throws IllegalStateException the channel is not an originated phone channel that is still ringing
	 */
	public void answerFromFarEnd(String channelId) {
		pbx.answerFromFarEnd(channelId);
	}

	/** The far end presses a key on a live channel: a {@code ChannelDtmfReceived} for it. */
	public void sendDtmf(String channelId, char digit) {
		pbx.dtmfFromFarEnd(channelId, digit);
	}

	@Override
	public void close() {
		pbx.close();
		server.close();
	}

	void removeScript(String number) {
		pbx.removeScript(number);
	}

	Map<String, CallScript> scriptsForAdmin() {
		return pbx.scripts();
	}

	CallScript defaultScriptForAdmin() {
		return pbx.defaultScript();
	}

	/**
	 * Runs a simulator until the process is stopped: {@code --port 8088 --username voxdesk --password voxdesk-dev
	 * --asterisk-version 22.10.1 --time-scale 1.0}, each optional.
	 */
	public static void main(String[] args) throws InterruptedException {
		AriSimulatorSettings settings = AriSimulatorSettings.defaults().withPort(8088);
		for (int i = 0; i < args.length; i++) {
			String option = args[i];
			if (i + 1 >= args.length) {
				throw new IllegalArgumentException("option " + option + " needs a value");
			}
			String value = args[++i];
			settings = switch (option) {
				case "--port" -> settings.withPort(Integer.parseInt(value));
				case "--username" -> settings.withCredentials(value, settings.password());
				case "--password" -> settings.withCredentials(settings.username(), value);
				case "--asterisk-version" -> new AriSimulatorSettings(settings.port(), settings.username(),
						settings.password(), value, settings.timeScale());
				case "--time-scale" -> settings.withTimeScale(Double.parseDouble(value));
				default -> throw new IllegalArgumentException("unknown option " + option
						+ " (known: --port, --username, --password, --asterisk-version, --time-scale)");
			};
		}
		AriSimulator simulator = start(settings);
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			simulator.close();
			stopped.countDown();
		}, "ari-simulator-shutdown"));
		System.out.println("ARI simulator listening on http://127.0.0.1:" + simulator.port() + " (app user "
				+ settings.username() + ", Asterisk " + settings.asteriskVersion() + ")");
		stopped.await();
	}
}
