package io.voxdesk.campaigns.internal;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.voxdesk.campaigns.CampaignDetails;
import io.voxdesk.campaigns.CampaignReport;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * A campaign's report as a one-page PDF (Apache PDFBox): its figures, a bar per outcome, the keys pressed and the
 * answer rate per hour as a chart; in Portuguese or English. Drawn from the same {@link CampaignReport} as the JSON
 * report and the monitor, so the three never disagree.
 */
final class CampaignPdf {

	private static final PDType1Font REGULAR = new PDType1Font(Standard14Fonts.FontName.HELVETICA);

	private static final PDType1Font BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);

	private static final Color BAR = new Color(0x2f, 0x6f, 0xb3);

	private static final Color ANSWERED = new Color(0x3c, 0x9a, 0x5f);

	private static final Color RULE = new Color(0xcc, 0xcc, 0xcc);

	private static final float MARGIN = 50;

	private static final Map<String, String[]> LABELS = Map.ofEntries(
			Map.entry("title", new String[] { "Campaign report", "Relatório da campanha" }),
			Map.entry("state", new String[] { "State", "Estado" }),
			Map.entry("generated", new String[] { "Generated", "Gerado em" }),
			Map.entry("contacts", new String[] { "Contacts", "Contatos" }),
			Map.entry("attempts", new String[] { "Calls placed", "Chamadas feitas" }),
			Map.entry("perContact", new String[] { "Attempts per contact called", "Tentativas por contato chamado" }),
			Map.entry("talk", new String[] { "Talk time (total / average per answered call)",
					"Tempo falado (total / média por chamada atendida)" }),
			Map.entry("outcomes", new String[] { "Contacts by outcome", "Contatos por resultado" }),
			Map.entry("keys", new String[] { "Keys pressed (calls)", "Teclas pressionadas (chamadas)" }),
			Map.entry("none", new String[] { "none", "nenhuma" }),
			Map.entry("hours", new String[] { "Answer rate per hour (UTC): calls placed and answered",
					"Taxa de atendimento por hora (UTC): chamadas feitas e atendidas" }),
			Map.entry("answered", new String[] { "answered by a person", "atendida por pessoa" }),
			Map.entry("machine", new String[] { "machine (hung up)", "secretária eletrônica (desligada)" }),
			Map.entry("voicemail", new String[] { "voicemail (message left)", "caixa postal (recado deixado)" }),
			Map.entry("opted-out", new String[] { "opted out", "pediu para sair" }),
			Map.entry("busy", new String[] { "busy", "ocupado" }),
			Map.entry("no-answer", new String[] { "no answer", "não atendeu" }),
			Map.entry("failed", new String[] { "failed", "falhou" }),
			Map.entry("do-not-call", new String[] { "skipped: do-not-call list", "pulado: lista de não ligar" }),
			Map.entry("pending", new String[] { "not called yet", "ainda não chamado" }),
			Map.entry("calling", new String[] { "being called", "em chamada" }),
			Map.entry("state.draft", new String[] { "draft", "rascunho" }),
			Map.entry("state.scheduled", new String[] { "scheduled", "agendada" }),
			Map.entry("state.running", new String[] { "running", "em andamento" }),
			Map.entry("state.paused", new String[] { "paused", "pausada" }),
			Map.entry("state.completed", new String[] { "completed", "concluída" }),
			Map.entry("state.cancelled", new String[] { "cancelled", "cancelada" }));

	private final boolean portuguese;

	private final ZoneId zone;

	private CampaignPdf(Locale locale, ZoneId zone) {
		this.portuguese = "pt".equals(locale.getLanguage());
		this.zone = zone;
	}

	/** Writes the report in {@code locale}'s language (Portuguese or English), times in the campaign's time zone. */
	static void write(CampaignDetails campaign, CampaignReport report, Locale locale, Instant now, OutputStream out)
			throws IOException {
		new CampaignPdf(locale, campaign.window().zone()).render(campaign, report, now, out);
	}

	private String label(String key) {
		var pair = LABELS.get(key);
		return pair == null ? key : pair[portuguese ? 1 : 0];
	}

	private void render(CampaignDetails campaign, CampaignReport report, Instant now, OutputStream out)
			throws IOException {
		try (var document = new PDDocument()) {
			var info = new PDDocumentInformation();
			info.setTitle(label("title") + ": " + campaign.name());
			info.setCreator("Voxdesk");
			document.setDocumentInformation(info);
			var page = new PDPage(PDRectangle.A4);
			document.addPage(page);
			var width = page.getMediaBox().getWidth() - 2 * MARGIN;
			try (var content = new PDPageContentStream(document, page)) {
				var y = page.getMediaBox().getHeight() - MARGIN;
				text(content, BOLD, 18, MARGIN, y, label("title"));
				y -= 22;
				text(content, BOLD, 14, MARGIN, y, campaign.name());
				y -= 18;
				var stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
				var state = label("state." + report.state().value());
				text(content, REGULAR, 10, MARGIN, y, label("state") + ": " + state + "    " + label("generated") + ": "
						+ stamp.format(now) + " (" + zone.getId() + ")");
				y -= 26;
				y = figures(content, report, y);
				y -= 14;
				y = outcomes(content, report, y, width);
				y -= 14;
				y = keys(content, report, y);
				y -= 14;
				hours(content, report.answerRateByHour(), y, width);
			}
			document.save(out);
		}
	}

	private float figures(PDPageContentStream content, CampaignReport report, float y) throws IOException {
		var rows = List.of(
				List.of(label("contacts"), String.valueOf(report.contacts())),
				List.of(label("attempts"), String.valueOf(report.attempts())),
				List.of(label("perContact"), String.format(Locale.ROOT, "%.2f", report.attemptsPerContact())),
				List.of(label("talk"), duration(report.talkSeconds()) + " / "
						+ duration(Math.round(report.averageTalkSeconds()))));
		for (var row : rows) {
			text(content, REGULAR, 11, MARGIN, y, row.get(0));
			text(content, BOLD, 11, MARGIN + 300, y, row.get(1));
			y -= 16;
		}
		return y;
	}

	/** A row per outcome: its name, a bar as long as its share of the contacts, the count and the percentage. */
	private float outcomes(PDPageContentStream content, CampaignReport report, float y, float width)
			throws IOException {
		text(content, BOLD, 12, MARGIN, y, label("outcomes"));
		y -= 18;
		var barStart = MARGIN + 190;
		var barWidth = width - 190 - 90;
		for (var entry : report.byOutcome().entrySet()) {
			var percent = report.percentByOutcome().getOrDefault(entry.getKey(), 0.0);
			text(content, REGULAR, 10, MARGIN, y, label(entry.getKey()));
			content.setNonStrokingColor(RULE);
			content.addRect(barStart, y - 2, barWidth, 10);
			content.fill();
			content.setNonStrokingColor("answered".equals(entry.getKey()) ? ANSWERED : BAR);
			content.addRect(barStart, y - 2, (float) (barWidth * Math.min(percent, 100.0) / 100.0), 10);
			content.fill();
			content.setNonStrokingColor(Color.BLACK);
			text(content, REGULAR, 10, barStart + barWidth + 8, y,
					entry.getValue() + "  (" + String.format(Locale.ROOT, "%.1f", percent) + " %)");
			y -= 15;
		}
		return y;
	}

	private float keys(PDPageContentStream content, CampaignReport report, float y) throws IOException {
		text(content, BOLD, 12, MARGIN, y, label("keys"));
		y -= 16;
		if (report.byKey().isEmpty()) {
			text(content, REGULAR, 10, MARGIN, y, label("none"));
			return y - 14;
		}
		var line = new StringBuilder();
		report.byKey().forEach((key, count) -> line.append(key).append(": ").append(count).append("     "));
		text(content, REGULAR, 10, MARGIN, y, line.toString().strip());
		return y - 14;
	}

	/** A column pair per hour (the last 24 with calls): calls placed, and those answered, to the same scale. */
	private void hours(PDPageContentStream content, List<CampaignReport.Hour> hours, float y, float width)
			throws IOException {
		text(content, BOLD, 12, MARGIN, y, label("hours"));
		var shown = hours.size() > 24 ? hours.subList(hours.size() - 24, hours.size()) : hours;
		if (shown.isEmpty()) {
			text(content, REGULAR, 10, MARGIN, y - 16, label("none"));
			return;
		}
		var height = 120f;
		var bottom = y - 20 - height;
		var most = shown.stream().mapToInt(CampaignReport.Hour::attempts).max().orElse(1);
		var slot = Math.min(width / shown.size(), 40f);
		content.setStrokingColor(RULE);
		content.moveTo(MARGIN, bottom);
		content.lineTo(MARGIN + width, bottom);
		content.stroke();
		var hour = DateTimeFormatter.ofPattern("HH'h'").withZone(ZoneId.of("UTC"));
		for (int i = 0; i < shown.size(); i++) {
			var entry = shown.get(i);
			var x = MARGIN + i * slot;
			var placed = height * entry.attempts() / Math.max(most, 1);
			var answered = height * entry.answered() / Math.max(most, 1);
			content.setNonStrokingColor(BAR);
			content.addRect(x + 2, bottom, slot / 2 - 3, placed);
			content.fill();
			content.setNonStrokingColor(ANSWERED);
			content.addRect(x + slot / 2, bottom, slot / 2 - 3, answered);
			content.fill();
			content.setNonStrokingColor(Color.BLACK);
			text(content, REGULAR, 7, x + 2, bottom - 10, hour.format(entry.hour()));
			text(content, REGULAR, 7, x + 2, bottom + placed + 3, entry.answered() + "/" + entry.attempts());
		}
	}

	private static String duration(long seconds) {
		return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
	}

	/** Writes one line; characters the standard font cannot encode (outside WinAnsi) become '?'. */
	private static void text(PDPageContentStream content, PDType1Font font, float size, float x, float y, String text)
			throws IOException {
		var safe = new StringBuilder();
		for (var ch : text.toCharArray()) {
			try {
				font.encode(String.valueOf(ch));
				safe.append(ch);
			}
			catch (IllegalArgumentException | IOException ex) {
				safe.append('?');
			}
		}
		content.beginText();
		content.setFont(font, size);
		content.newLineAtOffset(x, y);
		content.showText(safe.toString());
		content.endText();
	}
}
