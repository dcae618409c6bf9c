--liquibase formatted sql

--changeset voxdesk:audio-003-link-keys-moved splitStatements:false
--comment: The audio links' keys move to tenant_link_keys (purpose audio.link-key, the purpose their ciphertext is bound to), where the recording links' keys live too: links signed before the move stay valid.
INSERT INTO tenant_link_keys (tenant_id, purpose, secret, created_at)
  SELECT tenant_id, 'audio.link-key', secret, created_at FROM audio_link_keys
  ON CONFLICT (tenant_id, purpose) DO NOTHING;
DROP TABLE audio_link_keys;
