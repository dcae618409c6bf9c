--liquibase formatted sql

--changeset voxdesk:audio-001-audio-items
--comment: Each tenant's audio library: uploads and synthesised speech, converted to 8 kHz mono 16-bit WAV and kept in the audio store under storage_key. format is the uploaded file's (NULL for speech); synthesis_key (SHA-256 of engine, language and text) makes the same text in the same language one item per tenant.
CREATE TABLE audio_items (
  id            UUID NOT NULL PRIMARY KEY,
  tenant_id     VARCHAR(63) NOT NULL,
  name          VARCHAR(200) NOT NULL,
  kind          VARCHAR(20) NOT NULL CHECK (kind IN ('campaign-message', 'ivr-prompt', 'music-on-hold')),
  source        VARCHAR(10) NOT NULL CHECK (source IN ('upload', 'speech')),
  format        VARCHAR(10) CHECK (format IN ('wav', 'mp3', 'gsm')),
  duration_ms   BIGINT NOT NULL CHECK (duration_ms >= 0),
  size_bytes    BIGINT NOT NULL CHECK (size_bytes >= 0),
  storage_key   VARCHAR(200) NOT NULL,
  text          TEXT,
  language      VARCHAR(20),
  synthesis_key VARCHAR(64),
  created_by    VARCHAR(100) NOT NULL,
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX audio_items_tenant_created ON audio_items (tenant_id, created_at DESC);
CREATE UNIQUE INDEX audio_items_synthesis_unique ON audio_items (tenant_id, synthesis_key) WHERE synthesis_key IS NOT NULL;
ALTER TABLE audio_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY audio_items_isolation ON audio_items
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, DELETE ON audio_items TO ${app_role};

--changeset voxdesk:audio-002-audio-link-keys
--comment: Each tenant's key for the signed links its PBX fetches audio with (sound:http://...), encrypted with the tenant's SecretCipher (purpose audio.link-key); made the first time a link is signed.
CREATE TABLE audio_link_keys (
  tenant_id  VARCHAR(63) NOT NULL PRIMARY KEY,
  secret     TEXT NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
ALTER TABLE audio_link_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY audio_link_keys_isolation ON audio_link_keys
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT ON audio_link_keys TO ${app_role};
