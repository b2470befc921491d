-- Portal links are no longer kept in mail bodies: a mail holds a placeholder and the link
-- waits, sealed with PONTE_SECRET_KEY, in secret_link until the mail is sent (then it is
-- dropped). Links already stored in bodies by older versions are cut out here.

ALTER TABLE mail_messages ADD COLUMN secret_link text;
UPDATE mail_messages
   SET text = regexp_replace(text, '([?&]token=)[^&\s"<]*', '\1[removido]', 'g'),
       html = regexp_replace(html, '([?&](amp;)?token=)[^&\s"<]*', '\1[removido]', 'g')
 WHERE text LIKE '%token=%' OR html LIKE '%token=%';
