"""The reasons a moderator may give for refusing a petition.

The first seventeen are the topics on which the law of the Republic of Kazakhstan "On
Public Control" (2023) and the petition chapter of the Administrative Procedural Code do
not allow petitions. The wording below is reconstructed from public summaries of the law
(the vice-minister's briefing of November 2023: constitutional and administrative-
territorial structure, borders, language, elections and referendums, courts, the
prosecution, special services, state secrets, the President's powers, Parliament,
amnesty, national security); it MUST be checked against the law's text on adilet.zan.kz
before going live. Editors change labels and add or deactivate reasons in the admin.

Reasons with public=False (personal data, abuse) are not published: the petition they
reject stays visible only to its author and moderators.
"""

from django.db import migrations

EXCLUDED = [
    (
        "constitutional-order",
        "Конституциялық құрылыс, оның өзгерістері, басқару нысаны",
        "Конституционный строй, его изменение, форма правления",
        "The constitutional order, its change, the form of government",
    ),
    (
        "administrative-territorial",
        "Әкімшілік-аумақтық құрылыс",
        "Административно-территориальное устройство",
        "The administrative-territorial structure",
    ),
    (
        "sovereignty-borders",
        "Мемлекеттік егемендік, аумақтық тұтастық және Мемлекеттік шекара",
        "Государственный суверенитет, территориальная целостность и Государственная граница",
        "State sovereignty, territorial integrity and the State Border",
    ),
    (
        "state-language",
        "Мемлекеттік тіл және тіл саясаты",
        "Государственный язык и языковая политика",
        "The state language and language policy",
    ),
    (
        "elections-referendums",
        "Сайлау және республикалық референдумдар",
        "Выборы и республиканские референдумы",
        "Elections and republican referendums",
    ),
    (
        "courts",
        "Сот жүйесі, сот төрелігі және сот актілері",
        "Судебная система, правосудие и судебные акты",
        "The judicial system, the administration of justice and judicial acts",
    ),
    (
        "prosecution-criminal-proceedings",
        "Прокуратура қызметі, қылмыстық процесс және сотқа дейінгі тергеп-тексеру",
        "Деятельность прокуратуры, уголовный процесс и досудебное расследование",
        "The prosecution service, criminal proceedings and pre-trial investigation",
    ),
    (
        "operational-search",
        "Құқық қорғау органдарының жедел-іздестіру қызметі",
        "Оперативно-розыскная деятельность правоохранительных органов",
        "Operational-search activity of law-enforcement bodies",
    ),
    (
        "special-services",
        "Арнаулы мемлекеттік органдардың қызметі",
        "Деятельность специальных государственных органов",
        "Activity of the special state bodies",
    ),
    (
        "national-security-defence",
        "Ұлттық қауіпсіздік және қорғаныс",
        "Национальная безопасность и оборона",
        "National security and defence",
    ),
    (
        "state-secrets",
        "Мемлекеттік құпиялар",
        "Государственные секреты",
        "State secrets",
    ),
    (
        "president-powers",
        "Республика Президентінің өкілеттіктері",
        "Полномочия Президента Республики",
        "The powers of the President of the Republic",
    ),
    (
        "parliament",
        "Парламенттің және оның палаталарының ұйымдастырылуы мен қызметі",
        "Организация и деятельность Парламента и его палат",
        "The organisation and work of Parliament and its chambers",
    ),
    (
        "pardon-amnesty",
        "Кешірім жасау және рақымшылық",
        "Помилование и амнистия",
        "Pardon and amnesty",
    ),
    (
        "citizenship",
        "Азаматтық мәселелері",
        "Вопросы гражданства",
        "Citizenship",
    ),
    (
        "foreign-policy",
        "Сыртқы саясат және халықаралық шарттар",
        "Внешняя политика и международные договоры",
        "Foreign policy and international treaties",
    ),
    (
        "emergency-martial-law",
        "Төтенше және соғыс жағдайы",
        "Чрезвычайное и военное положение",
        "States of emergency and martial law",
    ),
]

OTHER = [
    # code, kk, ru, en, public
    (
        "duplicate",
        "Осындай петиция бұрыннан бар",
        "Такая петиция уже есть",
        "A petition on the same request already exists",
        True,
    ),
    (
        "not-competent",
        "Адресаттың құзыретіне жатпайды",
        "Не относится к компетенции адресата",
        "Not within the addressee's competence",
        True,
    ),
    (
        "no-clear-request",
        "Нақты талап жоқ",
        "Нет ясного требования",
        "No clear request",
        True,
    ),
    (
        "advertising",
        "Жарнама",
        "Реклама",
        "Advertising",
        True,
    ),
    (
        "personal-data",
        "Дербес деректер",
        "Персональные данные",
        "Personal data",
        False,
    ),
    (
        "abuse",
        "Қорлау немесе балағат",
        "Оскорбления или нецензурная лексика",
        "Abuse or insults",
        False,
    ),
]


def seed(apps, schema_editor):
    RejectionReason = apps.get_model("petitions", "RejectionReason")
    order = 0
    for code, kk, ru, en in EXCLUDED:
        order += 1
        RejectionReason.objects.update_or_create(
            code=code,
            defaults={
                "label_kk": kk,
                "label_ru": ru,
                "label_en": en,
                "excluded_topic": True,
                "public": True,
                "order": order,
            },
        )
    for code, kk, ru, en, public in OTHER:
        order += 1
        RejectionReason.objects.update_or_create(
            code=code,
            defaults={
                "label_kk": kk,
                "label_ru": ru,
                "label_en": en,
                "excluded_topic": False,
                "public": public,
                "order": order,
            },
        )


def unseed(apps, schema_editor):
    RejectionReason = apps.get_model("petitions", "RejectionReason")
    codes = [row[0] for row in EXCLUDED] + [row[0] for row in OTHER]
    RejectionReason.objects.filter(code__in=codes, petitions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
