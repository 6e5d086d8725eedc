namespace Suite.Testing.Mail;

/// <summary>Configuration files of the throwaway Dovecot and Postfix (see <see cref="MailServerFixture"/>).</summary>
internal static class MailServerConfigs
{
    public static string Dovecot(string root, int imapPort, int imapsPort) => $$"""
        auth_master_user_separator = *
        base_dir = {{root}}/dovecot/run
        state_dir = {{root}}/dovecot/state
        log_path = {{root}}/dovecot/dovecot.log
        protocols = imap lmtp
        listen = 127.0.0.1
        ssl = yes
        ssl_cert = <{{root}}/cert.pem
        ssl_key = <{{root}}/key.pem
        ssl_min_protocol = TLSv1.2
        disable_plaintext_auth = no
        auth_mechanisms = plain login oauthbearer xoauth2
        # Tests check wrong passwords: no 2-second penalty, no growing delay per attempt.
        auth_failure_delay = 0
        login_trusted_networks = 127.0.0.0/8
        default_login_user = dovenull
        default_internal_user = dovecot
        # Process titles name the user, so a test can kill the process serving one session.
        verbose_proctitle = yes
        imap_idle_notify_interval = 1 secs
        passdb {
          driver = passwd-file
          master = yes
          # pass = yes: the person must exist in the regular passdb too.
          pass = yes
          args = scheme=PLAIN {{root}}/masters
        }
        passdb {
          driver = passwd-file
          args = scheme=PLAIN username_format=%u {{root}}/users
          # "none" covers lookups without authentication, such as LMTP checking that a recipient exists.
          mechanisms = plain login none
        }
        passdb {
          driver = oauth2
          mechanisms = oauthbearer xoauth2
          args = {{root}}/dovecot/oauth2.conf
        }
        userdb {
          driver = static
          args = uid=nobody gid=nogroup home={{root}}/mail/%u
        }
        mail_location = maildir:~/Maildir
        namespace inbox {
          inbox = yes
          separator = /
          mailbox Drafts {
            special_use = \Drafts
            auto = subscribe
          }
          mailbox Sent {
            special_use = \Sent
            auto = subscribe
          }
          mailbox Trash {
            special_use = \Trash
            auto = subscribe
          }
          mailbox Junk {
            special_use = \Junk
            auto = subscribe
          }
          mailbox Archive {
            special_use = \Archive
            auto = subscribe
          }
        }
        service imap-login {
          inet_listener imap {
            address = 127.0.0.1
            port = {{imapPort}}
          }
          inet_listener imaps {
            address = 127.0.0.1
            port = {{imapsPort}}
            ssl = yes
          }
        }
        service lmtp {
          unix_listener lmtp {
            mode = 0666
          }
        }
        service auth {
          unix_listener auth-postfix {
            mode = 0666
          }
        }
        protocol lmtp {
          postmaster_address = postmaster@{{MailServerFixture.Domain}}
        }
        """;

    public static string DovecotOAuth(string introspectionUrl) => $$"""
        introspection_mode = post
        introspection_url = {{introspectionUrl}}
        username_attribute = username
        active_attribute = active
        active_value = true
        """;

    public static string PostfixMain(string root) => $"""
        compatibility_level = 3.6
        queue_directory = {root}/postfix/queue
        data_directory = {root}/postfix/data
        mail_owner = postfix
        setgid_group = postdrop
        myhostname = mail.{MailServerFixture.Domain}
        mydomain = {MailServerFixture.Domain}
        myorigin = {MailServerFixture.Domain}
        mydestination =
        inet_interfaces = 127.0.0.1
        inet_protocols = ipv4
        mynetworks = 127.0.0.0/8
        alias_maps =
        alias_database =
        biff = no
        local_transport = error:local delivery is disabled
        default_transport = error:outbound mail is disabled
        relay_transport = error:outbound mail is disabled
        virtual_mailbox_domains = {MailServerFixture.Domain}
        virtual_mailbox_maps = texthash:{root}/postfix/conf/mailboxes
        virtual_transport = lmtp:unix:{root}/dovecot/run/lmtp
        smtpd_sasl_auth_enable = yes
        smtpd_sasl_type = dovecot
        smtpd_sasl_path = {root}/dovecot/run/auth-postfix
        smtpd_tls_security_level = may
        smtpd_tls_cert_file = {root}/cert.pem
        smtpd_tls_key_file = {root}/key.pem
        smtpd_tls_auth_only = yes
        smtpd_relay_restrictions = permit_sasl_authenticated, reject
        smtpd_recipient_restrictions = permit_sasl_authenticated, reject
        message_size_limit = 10240000
        smtputf8_enable = yes
        # No syslog here: Postfix reports to this file, start-up errors included.
        maillog_file = {root}/postfix/maillog
        maillog_file_prefixes = {root}
        """;

    public static string PostfixMaster(int submissionPort) => $"""
        127.0.0.1:{submissionPort} inet n - n - - smtpd
        pickup    unix  n - n 60    1 pickup
        cleanup   unix  n - n -     0 cleanup
        qmgr      unix  n - n 300   1 qmgr
        tlsmgr    unix  - - n 1000? 1 tlsmgr
        rewrite   unix  - - n -     - trivial-rewrite
        bounce    unix  - - n -     0 bounce
        defer     unix  - - n -     0 bounce
        trace     unix  - - n -     0 bounce
        verify    unix  - - n -     1 verify
        flush     unix  n - n 1000? 0 flush
        proxymap  unix  - - n -     - proxymap
        showq     unix  n - n -     - showq
        error     unix  - - n -     - error
        retry     unix  - - n -     - error
        discard   unix  - - n -     - discard
        lmtp      unix  - - n -     - lmtp
        anvil     unix  - - n -     1 anvil
        scache    unix  - - n -     1 scache
        postlog   unix-dgram n - n - 1 postlogd
        """;
}
