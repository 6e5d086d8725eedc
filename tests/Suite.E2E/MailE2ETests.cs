using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Suite.Mail.Protocols.Mime;
using Suite.Testing.Mail;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Suite.E2E;

/// <summary>One browser, a real Postfix + Dovecot and the portal pointed at them (see <see cref="MailPortal"/>):
/// the Interior ministry with mail switched on, Alice and Bob able to sign in.</summary>
public sealed class MailBrowserFixture : BrowserFixture
{
    public MailPortal World { get; } = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await World.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await World.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>The webmail in headless Chromium, as a civil servant uses it, against the real mail servers.</summary>
public sealed partial class MailE2ETests(MailBrowserFixture fixture, ITestOutputHelper output) : IClassFixture<MailBrowserFixture>
{
    private MailPortal World => fixture.World;

    [Fact]
    public async Task Alice_reads_an_html_message_with_an_attachment_replies_with_a_file_and_Bob_receives_the_reply()
    {
        var journal = new Journal("mail", output);
        var aliceBox = World.Server.NextUser();
        var bobBox = World.Server.NextUser();
        var report = RandomNumberGenerator.GetBytes(120_000);
        var incoming = new MimeMessageBuilder
        {
            From = new MailboxAddress("Bob Durand", bobBox.Address),
            Subject = "Note de synthèse été",
            TextBody = "Bonjour Alice, la note est jointe.",
            HtmlBody = "<h2>Note de synthèse</h2><p>Bonjour <b id=\"greeting\">Alice</b>, la note est jointe.</p>" +
                       "<script>document.title = 'pwned'</script><img src=\"https://tracker.example/p.gif\" alt=\"\">",
        };
        incoming.To.Add(new MailboxAddress("Alice Martin", aliceBox.Address));
        incoming.AddAttachment("note été.pdf", "application/pdf", report);
        await World.SendAsync(bobBox, incoming);
        await World.WaitForAsync(aliceBox, "INBOX", "Note de synthèse été");

        await using var alice = await fixture.NewActorAsync(World.Host.BaseUrl, "Alice");
        var page = alice.Page;
        await journal.StepAsync("signed-in", page, () => Portal.SignInAsync(page, "alice@interieur.test", "Alice Martin"));

        await journal.StepAsync("mailbox-saved", page, async () =>
        {
            await page.Locator("#tiles li[data-module=mail] a").ClickAsync();
            // No mailbox password saved yet: the module asks for it first.
            await Expect(page).ToHaveURLAsync(Portal.PathIs("/mail/account"));
            await SaveMailboxAsync(page, aliceBox);
        });

        await journal.StepAsync("inbox", page, async () =>
        {
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Boîte de réception", Level = 2 })).ToBeVisibleAsync();
            var row = page.Locator("#messages tbody tr").Filter(new() { HasText = "Note de synthèse été" });
            await Expect(row).ToHaveAttributeAsync("data-unread", "true");
            await Expect(row).ToContainTextAsync("Bob Durand");
            await Expect(row).ToContainTextAsync("Pièce jointe");
        });

        // axe-core runs in a second window of Alice's, whose context lets its script in past the strict CSP; it audits
        // each page of the flow as this window shows it.
        await using var auditor = await fixture.NewActorAsync(World.Host.BaseUrl, "Alice (axe)", bypassCsp: true);
        await Portal.SignInAsync(auditor.Page, "alice@interieur.test", "Alice Martin");
        var violations = new List<string>();
        async Task AuditAsync(string step, string? path = null)
        {
            await auditor.Page.GotoAsync(path ?? page.Url);
            await journal.StepAsync("axe-" + step, auditor.Page, async () =>
            {
                foreach (var violation in await Axe.AnalyzeAsync(auditor.Page))
                {
                    journal.Note($"{step}: {violation}");
                    violations.Add($"{step}: {violation}");
                }
            });
        }
        await AuditAsync("inbox");

        await journal.StepAsync("message-read", page, async () =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Note de synthèse été" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Note de synthèse été", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.Locator("#message-from")).ToContainTextAsync(bobBox.Address);
            var frame = page.FrameLocator("iframe[title='Contenu du message']");
            await Expect(frame.Locator("b").First).ToHaveTextAsync("Alice");
            await Expect(frame.Locator("h2")).ToHaveTextAsync("Note de synthèse");
            // The sanitized frame carries no script and loads no remote image until asked.
            Assert.Equal(0, await frame.Locator("script").CountAsync());
            Assert.Equal(0, await frame.Locator("img[src^='https://tracker.example']").CountAsync());
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Afficher les images" })).ToBeVisibleAsync();
            Assert.NotEqual("pwned", await page.TitleAsync());
        });
        await AuditAsync("message");

        await journal.StepAsync("attachment-downloaded", page, async () =>
        {
            var download = await page.RunAndWaitForDownloadAsync(() =>
                page.Locator("#message-attachments").GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^note été\\.pdf") }).ClickAsync());
            Assert.Equal("note été.pdf", download.SuggestedFilename);
            var saved = await download.PathAsync();
            Assert.Equal(report, await File.ReadAllBytesAsync(saved!));
        });

        var remarks = Path.Combine(Directory.CreateTempSubdirectory("suite-e2e-mail-").FullName, "remarques.txt");
        await File.WriteAllTextAsync(remarks, "Trois remarques sur la note.\n");
        await journal.StepAsync("reply-written", page, async () =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Répondre", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Répondre", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByLabel(ToLabel())).ToHaveValueAsync(new Regex(Regex.Escape(bobBox.Address)));
            await Expect(page.GetByLabel("Objet")).ToHaveValueAsync("Re: Note de synthèse été");
            var body = page.GetByLabel("Message", new() { Exact = true });
            await Expect(body).ToHaveValueAsync(new Regex("> Bonjour Alice"));
            await body.FillAsync("Merci Bob, mes remarques sont jointes.\n\n" + await body.InputValueAsync());
            await page.GetByLabel(AttachmentsLabel()).SetInputFilesAsync(remarks);
        });
        await AuditAsync("compose");
        await AuditAsync("search", "/mail?folder=INBOX&q=" + Uri.EscapeDataString("synthèse"));
        await AuditAsync("account", "/mail/account");
        Assert.True(violations.Count == 0, "Accessibility violations on the mail pages:\n" + string.Join("\n", violations));
        // The audit sees these pages' controls: a field left without a label is reported.
        await auditor.Page.GotoAsync(page.Url);
        await auditor.Page.EvaluateAsync("() => document.querySelector('form#compose, main form').append(document.createElement('input'))");
        Assert.Contains(await Axe.AnalyzeAsync(auditor.Page), v => v.Id == "label");
        auditor.AssertNoServerErrors();

        await journal.StepAsync("reply-sent", page, async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/mail\\?done=sent$"));
            await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Message envoyé" })).ToBeVisibleAsync();
        });

        await journal.StepAsync("sent-folder", page, async () =>
        {
            await page.Locator("#mail-folders").GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^\\s*Envoyés") }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Envoyés", Level = 2 })).ToBeVisibleAsync();
            var row = page.Locator("#messages tbody tr").Filter(new() { HasText = "Re: Note de synthèse été" });
            await Expect(row).ToContainTextAsync("Bob Durand");
            await Expect(row).ToContainTextAsync("Pièce jointe");
        });
        journal.Check(alice);

        // Bob, in his own browser, finds the reply in his inbox with the file Alice attached.
        await using var bob = await fixture.NewActorAsync(World.Host.BaseUrl, "Bob");
        var bobPage = bob.Page;
        await Portal.SignInAsync(bobPage, "bob@interieur.test", "Bob Durand");
        await bobPage.GotoAsync("/mail");
        await Expect(bobPage).ToHaveURLAsync(Portal.PathIs("/mail/account"));
        await SaveMailboxAsync(bobPage, bobBox);
        await journal.StepAsync("recipient-inbox", bobPage, async () =>
        {
            var row = bobPage.Locator("#messages tbody tr").Filter(new() { HasText = "Re: Note de synthèse été" });
            await Expect(row).ToHaveAttributeAsync("data-unread", "true");
            await Expect(row).ToContainTextAsync("Alice Martin");
            await row.GetByRole(AriaRole.Link).ClickAsync();
            await Expect(bobPage.Locator("#message-text")).ToContainTextAsync("Merci Bob, mes remarques sont jointes.");
            await Expect(bobPage.Locator("#message-text")).ToContainTextAsync("> Bonjour Alice");
            await Expect(bobPage.Locator("#message-attachments")).ToContainTextAsync("remarques.txt");
        });
        var download = await bobPage.RunAndWaitForDownloadAsync(() => bobPage.Locator("#message-attachments a").First.ClickAsync());
        Assert.Equal("Trois remarques sur la note.\n", await File.ReadAllTextAsync((await download.PathAsync())!));
        journal.Check(bob);
        journal.Done();
    }

    [Fact]
    public async Task A_message_arriving_while_the_inbox_is_open_appears_in_the_list_and_in_the_notifications()
    {
        var journal = new Journal("mail-live", output);
        var doraBox = World.Server.NextUser();
        var sender = World.Server.NextUser();
        await using var dora = await fixture.NewActorAsync(World.Host.BaseUrl, "Dora");
        var page = dora.Page;
        await Portal.SignInAsync(page, "dora@interieur.test", "Dora Petit");
        await page.GotoAsync("/mail");
        await SaveMailboxAsync(page, doraBox);
        await journal.StepAsync("inbox-watched", page, async () =>
        {
            await Expect(page.Locator("#messages")).ToHaveCountAsync(0);
            // The island has its circuit and its IDLE connection.
            await Expect(page.Locator("#mail-live")).ToHaveAttributeAsync("data-watching", "true");
            await Expect(page.Locator("#notifications-unread")).ToHaveTextAsync("0");
        });

        var message = new MimeMessageBuilder { From = new MailboxAddress("Service courrier", sender.Address), Subject = "Arrivée en direct", TextBody = "Bonjour Dora." };
        message.To.Add(new MailboxAddress("Dora Petit", doraBox.Address));
        await World.SendAsync(sender, message);

        await journal.StepAsync("new-mail-shown", page, async () =>
        {
            var row = page.Locator("#messages tbody tr").Filter(new() { HasText = "Arrivée en direct" });
            await Expect(row).ToHaveAttributeAsync("data-unread", "true");
            await Expect(page.Locator("#mail-live-news")).ToContainTextAsync("Nouveau message de Service courrier : Arrivée en direct");
            await Expect(page.Locator("#notifications-unread")).ToHaveTextAsync("1");
            await Expect(page.Locator("#mail-folders li[data-folder='INBOX']")).ToHaveAttributeAsync("data-unread", "1");
        });

        await journal.StepAsync("recipient-suggested", page, async () =>
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Nouveau message" }).ClickAsync();
            var to = page.GetByRole(AriaRole.Combobox, new() { NameRegex = ToLabel() });
            await to.PressSequentiallyAsync("carl", new() { Delay = 30 });
            await page.WaitForTimeoutAsync(600);
            // Another ministry's people are never proposed.
            await Expect(to).ToHaveAttributeAsync("aria-expanded", "false");
            await to.FillAsync("");
            await to.PressSequentiallyAsync("ali", new() { Delay = 30 });
            var option = page.GetByRole(AriaRole.Option, new() { Name = "Alice Martin <alice@interieur.test>" });
            await Expect(option).ToBeVisibleAsync();
            await Expect(to).ToHaveAttributeAsync("aria-expanded", "true");
            await page.Keyboard.PressAsync("ArrowDown");
            await Expect(option).ToHaveAttributeAsync("aria-selected", "true");
            await Expect(to).ToHaveAttributeAsync("aria-activedescendant", (await option.GetAttributeAsync("id"))!);
            await page.Keyboard.PressAsync("Enter");
            await Expect(to).ToHaveValueAsync("Alice Martin <alice@interieur.test>, ");
            await Expect(to).ToHaveAttributeAsync("aria-expanded", "false");
            await Expect(page).ToHaveURLAsync(Portal.PathIs("/mail/compose"));
        });
        journal.Check(dora);
        journal.Done();
    }

    [Fact]
    public async Task A_ministry_administrator_switches_to_the_master_user_and_agents_open_their_mailbox_without_a_password()
    {
        var journal = new Journal("mail-master", output);
        var gaspardBox = World.Server.NextUser();
        var hugoBox = World.Server.NextUser();
        var sender = World.Server.NextUser();
        var order = new MimeMessageBuilder { From = new MailboxAddress("Cabinet", sender.Address), Subject = "Ordre de mission", TextBody = "Départ lundi." };
        order.To.Add(new MailboxAddress("Gaspard Roy", gaspardBox.Address));
        await World.SendAsync(sender, order);
        await World.WaitForAsync(gaspardBox, "INBOX", "Ordre de mission");
        // Master mode signs in as the person's portal address: Gaspard's is his mailbox's. Hugo, at the Interior
        // ministry, has a mailbox with his portal address too, so only the mode can keep him from it.
        await World.AddMinistryAsync("Ministère des Armées", "MINARM", "armees", "dga",
            [("Eve Lambert", "eve@armees.test"), ("Gaspard Roy", gaspardBox.Address)], administrator: "Eve Lambert");
        await World.AddAgentsAsync("interieur", "dgpn", [("Hugo Lefèvre", hugoBox.Address)]);
        var secret = World.Server.MasterPassword;

        await using var eve = await fixture.NewActorAsync(World.Host.BaseUrl, "Eve");
        var page = eve.Page;
        await Portal.SignInAsync(page, "eve@armees.test", "Eve Lambert");
        await journal.StepAsync("master-mode-saved", page, async () =>
        {
            await page.GotoAsync("/admin/m/armees/settings");
            await page.GetByLabel(new Regex("^Connexion aux boîtes aux lettres")).SelectOptionAsync("master");
            await page.GetByLabel(new Regex("^Utilisateur maître")).FillAsync(World.Server.MasterUser);
            await page.GetByLabel(new Regex("^Mot de passe de l'utilisateur maître")).FillAsync(secret);
            await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
            await Expect(page.GetByText("Modifications enregistrées.")).ToBeVisibleAsync();
            await Expect(page.GetByLabel(new Regex("^Mot de passe de l'utilisateur maître"))).ToHaveValueAsync("");
            Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        });
        await journal.StepAsync("master-mode-shown", page, async () =>
        {
            await page.ReloadAsync();
            await Expect(page.GetByLabel(new Regex("^Connexion aux boîtes aux lettres"))).ToHaveValueAsync("master");
            await Expect(page.GetByLabel(new Regex("^Utilisateur maître"))).ToHaveValueAsync(World.Server.MasterUser);
            await Expect(page.GetByLabel(new Regex("^Mot de passe de l'utilisateur maître"))).ToHaveValueAsync("");
            Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        });
        journal.Check(eve);

        // At rest the secret is Data Protection ciphertext, nowhere in clear in the platform's database.
        var stored = await StoredSettingAsync("mail.master-password");
        Assert.False(string.IsNullOrEmpty(stored));
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Path.Combine(World.Host.DataDirectory, "suite-platform.db"))), StringComparison.Ordinal);

        await using var gaspard = await fixture.NewActorAsync(World.Host.BaseUrl, "Gaspard");
        var gaspardPage = gaspard.Page;
        await Portal.SignInAsync(gaspardPage, gaspardBox.Address, "Gaspard Roy");
        await journal.StepAsync("master-inbox", gaspardPage, async () =>
        {
            await gaspardPage.Locator("#tiles li[data-module=mail] a").ClickAsync();
            await Expect(gaspardPage).ToHaveURLAsync(Portal.PathIs("/mail"));
            await Expect(gaspardPage.GetByRole(AriaRole.Heading, new() { Name = "Boîte de réception", Level = 2 })).ToBeVisibleAsync();
            await Expect(gaspardPage.Locator("#messages tbody tr").Filter(new() { HasText = "Ordre de mission" })).ToContainTextAsync("Cabinet");
        });
        await journal.StepAsync("master-account", gaspardPage, async () =>
        {
            await gaspardPage.GotoAsync("/mail/account");
            await Expect(gaspardPage.GetByText(new Regex("vous n'avez aucun mot de passe à saisir ici"))).ToBeVisibleAsync();
            await Expect(gaspardPage.Locator("#mail-account")).ToHaveCountAsync(0);
        });
        journal.Check(gaspard);

        await using var hugo = await fixture.NewActorAsync(World.Host.BaseUrl, "Hugo");
        var hugoPage = hugo.Page;
        await Portal.SignInAsync(hugoPage, hugoBox.Address, "Hugo Lefèvre");
        await journal.StepAsync("other-ministry-asks-password", hugoPage, async () =>
        {
            await hugoPage.GotoAsync("/mail");
            await Expect(hugoPage).ToHaveURLAsync(Portal.PathIs("/mail/account"));
            await Expect(hugoPage.GetByLabel(new Regex("^Mot de passe de messagerie"))).ToBeVisibleAsync();
        });
        journal.Check(hugo);
        journal.Done();
    }

    private async Task<string?> StoredSettingAsync(string name)
    {
        await using var db = new SqliteConnection($"Data Source={Path.Combine(World.Host.DataDirectory, "suite-platform.db")};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var query = db.CreateCommand();
        query.CommandText = "SELECT Value FROM SettingValues WHERE Name = $name";
        query.Parameters.AddWithValue("$name", name);
        return (string?)await query.ExecuteScalarAsync();
    }

    /// <summary>On the mailbox page: enters the login and password and checks them with the server.</summary>
    private static async Task SaveMailboxAsync(IPage page, MailUser mailbox)
    {
        await page.GetByLabel(new Regex("^Identifiant de messagerie")).FillAsync(mailbox.Address);
        await page.GetByLabel(new Regex("^Mot de passe de messagerie")).FillAsync(mailbox.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier et enregistrer" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/mail\\?done=account$"));
        await Expect(page.GetByText("Connexion à votre boîte aux lettres vérifiée et enregistrée.")).ToBeVisibleAsync();
    }

    [GeneratedRegex("^À ")]
    private static partial Regex ToLabel();

    [GeneratedRegex("^Ajouter des pièces jointes")]
    private static partial Regex AttachmentsLabel();
}
