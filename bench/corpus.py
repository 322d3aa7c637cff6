"""Write a deterministic synthetic archive in the PRODUCT.md content format, for benchmarks and tests.

`write_corpus(root, stories=N, pictures=M, seed=S)` writes N stories spread over 2016–2025
into root (news/ and events/, plus two static pages). Every story is drawn from its own
`random.Random` seeded with (seed, index), so the same arguments always give the same bytes
and story k does not depend on how many stories come before it. Pictures are camera-sized
JPEGs made once into a pool of M files (cached on disk) and hard-linked into story folders.
"""

import datetime as dt
import io
import os
import random
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from l10n.translit import slugify

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POOL = ROOT / "bench" / ".pool"
CAMERA_SIZE = (4000, 3000)
FIRST_DAY = dt.date(2016, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)
PICTURE_NAME = "photo.jpg"

# Sentence parts in real Russian and Kazakh. The lists run in parallel (item i of one language
# means item i of the other), so a story's headline and tags agree across its versions.
# fmt: off
RU = {
    "subjects": [
        "Городские библиотеки", "Сотрудники акимата", "Жители района", "Волонтёры", "Музеи города",
        "Артисты театра кукол", "Сотрудники управления транспорта", "Школьники", "Читатели",
        "Организаторы", "Библиотекари", "Городские службы", "Музыканты филармонии",
        "Работники парка культуры", "Активисты молодёжного центра", "Горожане", "Студенты",
        "Художники", "Спортсмены", "Пенсионеры",
    ],
    "verbs": [
        "открыли", "провели", "представили", "обсудили", "подготовили", "запустили",
        "организовали", "отремонтировали", "показали", "поддержали", "объявили", "завершили",
    ],
    "objects": [
        "новый читальный зал", "выставку современного искусства", "конкурс чтецов",
        "новый автобусный маршрут", "ярмарку детских книг", "акцию по посадке деревьев",
        "зимний праздник", "мастерскую по ремонту мебели", "лекцию о горных ледниках",
        "вечер поэзии Абая", "урок казахского орнамента", "велосипедную дорожку",
        "фестиваль уличной музыки", "турнир по шахматам", "каток под открытым небом",
        "экскурсию по старому городу", "сбор книг для сельских школ", "концерт народной музыки",
        "выставку драгоценных камней",
    ],
    "places": [
        "в центре города", "в субботу", "на площади Республики", "в Медеуском районе",
        "для детей и взрослых", "вместе с горожанами", "впервые за десять лет", "по выходным",
        "в рамках городской программы", "на проспекте Абая", "у подножия Кок-Тобе",
        "на берегу Большого Алматинского озера", "в Ауэзовском районе", "весной",
        "при поддержке акимата", "в новом здании", "для жителей микрорайонов",
    ],
    "extras": [
        "Вход свободный.", "Подробности можно узнать по телефону справочной службы.",
        "Регистрация открыта до конца месяца.", "Организаторы ждут всех желающих.",
        "«Мы хотим, чтобы город стал удобнее для каждого», — отметили в управлении.",
        "Следующая встреча пройдёт через неделю.", "Проект продлится до конца года.",
    ],
    "headings": ["Как это будет", "Что изменится", "Подробности", "Что говорят жители", "Планы"],
    "tags": [
        "город", "транспорт", "культура", "библиотеки", "образование", "спорт", "экология",
        "дети", "праздники", "книги", "музыка", "парки", "здоровье", "история", "волонтёры",
    ],
    "alts": [
        "Читатели за длинными столами в светлом зале библиотеки",
        "Горожане гуляют по площади на фоне гор",
        "Автобус на остановке у зелёного сквера",
        "Дети рассматривают книги на ярмарке",
        "Каток в парке вечером, на льду люди в шарфах",
    ],
    "locations": [
        "Дворец Республики", "Национальная библиотека", "Парк имени 28 гвардейцев-панфиловцев",
        "Государственный музей искусств имени Кастеева", "Центральный стадион",
        "Ледовый дворец «Алматы Арена»",
    ],
    "addresses": [
        "проспект Достык, 56", "улица Кабанбай батыра, 94", "проспект Абая, 30", "улица Толе би, 1",
    ],
}
KK = {
    "subjects": [
        "Қалалық кітапханалар", "Әкімдік қызметкерлері", "Аудан тұрғындары", "Еріктілер",
        "Қала мұражайлары", "Қуыршақ театрының әртістері", "Көлік басқармасының қызметкерлері",
        "Мектеп оқушылары", "Оқырмандар", "Ұйымдастырушылар", "Кітапханашылар", "Қалалық қызметтер",
        "Филармония музыканттары", "Мәдениет саябағының қызметкерлері", "Жастар орталығының белсенділері",
        "Шаһар тұрғындары", "Студенттер", "Суретшілер", "Спортшылар", "Зейнеткерлер",
    ],
    "verbs": [
        "ашты", "өткізді", "ұсынды", "талқылады", "дайындады", "іске қосты", "ұйымдастырды",
        "жөндеді", "көрсетті", "қолдады", "жариялады", "аяқтады",
    ],
    "objects": [
        "жаңа оқу залын", "заманауи өнер көрмесін", "оқырмандар байқауын", "жаңа автобус бағытын",
        "балалар кітаптарының жәрмеңкесін", "ағаш отырғызу акциясын", "қысқы мерекені",
        "жиһаз жөндейтін шеберхананы", "таудағы мұздықтар туралы дәрісті", "Абай өлеңдерінің кешін",
        "қазақ ою-өрнегі сабағын", "велосипед жолағын", "көше музыкасы фестивалін",
        "шахмат турнирін", "ашық аспан астындағы мұз айдынын", "ескі қала бойынша экскурсияны",
        "ауыл мектептеріне кітап жинау шарасын", "халық музыкасы концертін", "гауһар тастар көрмесін",
    ],
    "places": [
        "қала орталығында", "сенбі күні", "Республика алаңында", "Медеу ауданында",
        "балалар мен ересектер үшін", "тұрғындармен бірге", "он жылда алғаш рет", "демалыс күндері",
        "қалалық бағдарлама аясында", "Абай даңғылында", "Көктөбе етегінде",
        "Үлкен Алматы көлінің жағасында", "Әуезов ауданында", "көктемде", "әкімдіктің қолдауымен",
        "жаңа ғимаратта", "шағын аудандардың тұрғындары үшін",
    ],
    "extras": [
        "Кіру тегін.", "Толық ақпаратты анықтама қызметінен білуге болады.",
        "Тіркеу ай соңына дейін ашық.", "Ұйымдастырушылар барлық тілек білдірушілерді күтеді.",
        "«Біз қаланың әркім үшін ыңғайлы болғанын қалаймыз», — деді басқармада.",
        "Келесі кездесу бір аптадан кейін өтеді.", "Жоба жыл соңына дейін жалғасады.",
    ],
    "headings": ["Бұл қалай өтеді", "Не өзгереді", "Толығырақ", "Тұрғындар не дейді", "Жоспарлар"],
    "tags": [
        "қала", "көлік", "мәдениет", "кітапханалар", "білім", "спорт", "экология",
        "балалар", "мерекелер", "кітаптар", "музыка", "саябақтар", "денсаулық", "тарих", "еріктілер",
    ],
    "alts": [
        "Кітапхананың жарық залындағы ұзын үстелдер басында отырған оқырмандар",
        "Таулар аясындағы алаңда серуендеп жүрген қала тұрғындары",
        "Жасыл гүлзар жанындағы аялдамада тұрған автобус",
        "Жәрмеңкеде кітап қарап тұрған балалар",
        "Кешкі саябақтағы мұз айдыны, мұз үстінде мойынорағыш таққан адамдар",
    ],
    "locations": [
        "Республика сарайы", "Ұлттық кітапхана", "28 панфиловшы гвардияшылар атындағы саябақ",
        "Қастеев атындағы Мемлекеттік өнер мұражайы", "Орталық стадион", "«Алматы Арена» мұз сарайы",
    ],
    "addresses": ["Достық даңғылы, 56", "Қабанбай батыр көшесі, 94", "Абай даңғылы, 30", "Төле би көшесі, 1"],
}
# fmt: on
VOCABULARY = {"ru": RU, "kk": KK}
PAGES = {
    "about": {"ru": "О проекте", "kk": "Жоба туралы"},
    "contacts": {"ru": "Контакты", "kk": "Байланыс"},
}


@dataclass
class Story:
    """One generated story: where it goes and the text of each language version."""

    section: str
    day: dt.date
    slug: str
    texts: dict[str, str] = field(default_factory=dict)  # lang -> whole Markdown file
    picture: int | None = None  # index into the picture pool

    @property
    def folder(self) -> str:
        return f"{self.section}/{self.day.year}/{self.day.isoformat()}-{self.slug}"


def story_rng(seed: int, index: int) -> random.Random:
    """The random stream of one story: independent of every other story."""
    return random.Random(f"{seed}:{index}")


def sentence(rng: random.Random, lang: str) -> str:
    """One sentence, in the language's word order (Russian SVO, Kazakh SOV)."""
    words = VOCABULARY[lang]
    subject, verb, obj = (rng.choice(words[part]) for part in ("subjects", "verbs", "objects"))
    places = rng.sample(words["places"], rng.randint(0, 2))
    parts = [subject, *places, obj, verb] if lang == "kk" else [subject, verb, obj, *places]
    return " ".join(parts) + "."


def body(rng: random.Random, lang: str, words: int) -> str:
    """Paragraphs of sentences, with the odd heading, until the text has about `words` words."""
    vocabulary = VOCABULARY[lang]
    paragraphs: list[str] = []
    count = 0
    while count < words:
        if paragraphs and rng.random() < 0.12:
            paragraphs.append("## " + rng.choice(vocabulary["headings"]))
        sentences = [sentence(rng, lang) for _ in range(rng.randint(3, 6))]
        if rng.random() < 0.4:
            sentences.append(rng.choice(vocabulary["extras"]))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(paragraphs)


def titles(rng: random.Random) -> dict[str, str]:
    """The headline in both languages: the same words, each in its language's order."""
    picks = {part: rng.randrange(len(RU[part])) for part in ("subjects", "verbs", "objects")}
    ru, kk = ({part: VOCABULARY[lang][part][i] for part, i in picks.items()} for lang in ("ru", "kk"))
    return {
        "ru": f"{ru['subjects']} {ru['verbs']} {ru['objects']}",
        "kk": f"{kk['subjects']} {kk['objects']} {kk['verbs']}",
    }


def publication_day(index: int, stories: int) -> dt.date:
    """Spread the stories evenly over the ten years, oldest first."""
    span = (LAST_DAY - FIRST_DAY).days
    return FIRST_DAY + dt.timedelta(days=(index * span) // max(stories - 1, 1))


def make_story(index: int, stories: int, seed: int, pictures: int, day: dt.date | None = None) -> Story:
    """Draw story `index` of `stories`: languages, section, metadata and text."""
    rng = story_rng(seed, index)
    roll = rng.random()
    langs = ("ru", "kk") if roll < 0.85 else ("ru",) if roll < 0.95 else ("kk",)
    section = "events" if rng.random() < 0.10 else "news"
    day = day or publication_day(index, stories)
    moment = dt.datetime.combine(day, dt.time(rng.randint(7, 21), rng.choice((0, 15, 30, 45))))
    with_time = rng.random() < 0.7
    with_summary = rng.random() < 0.6
    tag_indices = rng.sample(range(len(RU["tags"])), rng.randint(1, 3))
    alt_index = rng.randrange(len(RU["alts"]))
    pick = rng.random()  # drawn even without pictures, so that the text stays the same
    picture = int(pick * pictures) if pictures and index % 3 == 0 else None
    start = moment + dt.timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 3))
    end = start + dt.timedelta(hours=rng.randint(1, 4)) if rng.random() < 0.5 else None
    venue = rng.randrange(len(RU["locations"]))
    address = rng.randrange(len(RU["addresses"])) if rng.random() < 0.6 else None
    headlines = titles(rng)
    story = Story(section, day, "", picture=picture)
    for lang in langs:
        words = VOCABULARY[lang]
        header = [f"Title: {headlines[lang]}"]
        if with_time:
            header.append(f"Date: {moment:%Y-%m-%d %H:%M}")
        if with_summary:
            header.append(f"Summary: {sentence(rng, lang)}")
        header.append("Tags: " + ", ".join(words["tags"][i] for i in tag_indices))
        if picture is not None:
            header += [f"Image: {PICTURE_NAME}", f"Image_alt: {words['alts'][alt_index]}"]
        if section == "events":
            header.append(f"Event_start: {start:%Y-%m-%d %H:%M}")
            if end:
                header.append(f"Event_end: {end:%Y-%m-%d %H:%M}")
            header.append(f"Location: {words['locations'][venue]}")
            if address is not None:
                header.append(f"Address: {words['addresses'][address]}")
        text = body(rng, lang, rng.randint(300, 800))
        story.texts[lang] = "\n".join(header) + "\n\n" + text + "\n"
    story.slug = "-".join(slugify(headlines[langs[0]]).split("-")[:6])
    return story


def camera_picture(seed: int, index: int, size: tuple[int, int] = CAMERA_SIZE) -> bytes:
    """A JPEG that compresses like a photo: smooth gradients under fine grain."""
    rng = random.Random(f"picture:{seed}:{index}")
    width, height = size
    small = (max(width // 4, 1), max(height // 4, 1))
    grain = Image.merge(
        "RGB", [Image.frombytes("L", small, rng.randbytes(small[0] * small[1])) for _ in range(3)]
    ).resize(size, Image.Resampling.BICUBIC)
    light = Image.linear_gradient("L").rotate(rng.randrange(360)).resize(size, Image.Resampling.BILINEAR)
    glow = Image.radial_gradient("L").resize(size, Image.Resampling.BILINEAR)
    scene = Image.merge("RGB", (light, glow, Image.eval(light, lambda v: 255 - v)))
    buffer = io.BytesIO()
    Image.blend(scene, grain, 0.35).save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def _write_picture(job: tuple[Path, int, int, tuple[int, int]]) -> None:
    path, seed, index, size = job
    partial = path.with_suffix(".part")
    partial.write_bytes(camera_picture(seed, index, size))
    partial.replace(path)


def picture_pool(
    pool: Path, count: int, seed: int, size: tuple[int, int] = CAMERA_SIZE, workers: int | None = None
) -> list[Path]:
    """Return `count` pool JPEGs, making those that are not on disk yet (in parallel)."""
    folder = Path(pool) / f"{size[0]}x{size[1]}-seed{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{index:05d}.jpg" for index in range(count)]
    missing = [(p, seed, i, size) for i, p in enumerate(paths) if not p.exists()]
    if len(missing) > 1 and (workers or os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(max_workers=workers) as executor:
            list(executor.map(_write_picture, missing))
    else:
        for job in missing:
            _write_picture(job)
    return paths


def _place(source: Path, target: Path) -> None:
    """Hard-link a pool picture into a story folder (copy across file systems)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def write_text(path: Path, text: str) -> None:
    """Write by replacing the file, so a hard-linked copy of the tree keeps its old version."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def write_story(root: Path, story: Story, pool: list[Path]) -> None:
    folder = Path(root) / story.folder
    for lang, text in story.texts.items():
        write_text(folder / f"{lang}.md", text)
    if story.picture is not None:
        target = folder / PICTURE_NAME
        if not target.exists():
            _place(pool[story.picture], target)


def plan(stories: int, seed: int, pictures: int) -> list[Story]:
    """Draw every story, giving each a slug that is unique in the whole archive."""
    planned = [make_story(i, stories, seed, pictures) for i in range(stories)]
    taken: set[str] = set()
    for story in planned:
        base, number = story.slug, 1
        while story.slug in taken:
            number += 1
            story.slug = f"{base}-{number}"
        taken.add(story.slug)
    return planned


def write_corpus(
    root: Path,
    stories: int = 1000,
    pictures: int | None = None,
    seed: int = 2026,
    pool: Path = DEFAULT_POOL,
    picture_size: tuple[int, int] = CAMERA_SIZE,
) -> list[Story]:
    """Write the archive into root (which should be empty) and return its stories.

    pictures: size of the JPEG pool (default 15% of the stories); every third story shows one
    of them. 0 writes no picture at all (and no Image lines): the text is the same either way.
    """
    root = Path(root)
    if pictures is None:
        pictures = max(1, stories * 15 // 100)
    planned = plan(stories, seed, pictures)
    pool_paths = picture_pool(pool, pictures, seed, picture_size) if pictures else []
    for story in planned:
        write_story(root, story, pool_paths)
    for slug, titles in PAGES.items():
        for lang, page_title in titles.items():
            text = body(story_rng(seed, -1), lang, 120)
            write_text(root / "pages" / slug / f"{lang}.md", f"Title: {page_title}\n\n{text}\n")
    return planned


def edit_story(root: Path, folder: str, lang: str, number: int) -> Path:
    """Change one language version of a story as an editor would: add a sentence at the end."""
    path = Path(root) / folder / f"{lang}.md"
    text = path.read_text(encoding="utf-8")
    addition = {
        "ru": f"Дополнено редакцией, правка {number}.",
        "kk": f"Редакция толықтырды, түзету {number}.",
    }
    write_text(path, text.rstrip("\n") + f"\n\n{addition[lang]}\n")
    return path


def add_story(root: Path, number: int, seed: int = 2026, day: dt.date = LAST_DAY) -> Story:
    """Write one more story (both languages, no picture) published on `day`; return it."""
    story = make_story(1_000_000 + number, 1, seed, 0, day=day)
    story.slug = f"added-story-{number}"
    write_story(root, story, [])
    return story


def delete_story(root: Path, folder: str) -> None:
    shutil.rmtree(Path(root) / folder)
