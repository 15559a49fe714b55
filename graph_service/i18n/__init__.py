"""Page chrome in the six UN languages, the choice of language, and label fallback.

English and Russian are complete; French, Spanish, Arabic and Chinese use the UN's
official terms where they exist. A missing string falls back to English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")
DEFAULT_LANGUAGE = "en"
RTL_LANGUAGES = {"ar"}
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ru": "Русский",
    "ar": "العربية",
    "zh": "中文",
}

# key -> {language -> text}
STRINGS: dict[str, dict[str, str]] = {
    "site_title": {
        "en": "UNTOC Knowledge Graph",
        "ru": "Граф знаний Конвенции против организованной преступности",
        "fr": "Graphe de connaissances de la Convention contre la criminalité organisée",
        "es": "Grafo de conocimiento de la Convención contra la Delincuencia Organizada",
        "ar": "رسم المعارف الخاص باتفاقية الجريمة المنظمة",
        "zh": "《有组织犯罪公约》知识图谱",
    },
    "site_tagline": {
        "en": "The governance of the United Nations Convention against Transnational "
        "Organized Crime as linked open data",
        "ru": "Система управления Конвенции Организации Объединенных Наций против "
        "транснациональной организованной преступности в виде связанных открытых данных",
        "fr": "La gouvernance de la Convention des Nations Unies contre la criminalité "
        "transnationale organisée en données ouvertes liées",
        "es": "La gobernanza de la Convención de las Naciones Unidas contra la Delincuencia "
        "Organizada Transnacional como datos abiertos enlazados",
        "ar": "حوكمة اتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية "
        "في شكل بيانات مفتوحة مترابطة",
        "zh": "以关联开放数据呈现的《联合国打击跨国有组织犯罪公约》治理体系",
    },
    "home_intro": {
        "en": "This dataset describes the Conference of the Parties to the Convention, its "
        "sessions, its working groups, the decisions and resolutions that established them "
        "or directed their work, their meetings and the UN documents that report on them. "
        "Every fact cites the paragraph of the source document it comes from.",
        "ru": "Этот набор данных описывает Конференцию участников Конвенции, ее сессии, ее "
        "рабочие группы, решения и резолюции, которыми они были учреждены или которые "
        "определяли их работу, их совещания и документы ООН о работе этих совещаний. "
        "Каждый факт ссылается на пункт исходного документа, из которого он взят.",
        "fr": "Ce jeu de données décrit la Conférence des Parties à la Convention, ses "
        "sessions, ses groupes de travail, les décisions et résolutions qui les ont créés ou "
        "ont orienté leurs travaux, leurs réunions et les documents de l'ONU qui en rendent "
        "compte. Chaque fait cite le paragraphe du document source dont il provient.",
        "es": "Este conjunto de datos describe la Conferencia de las Partes en la Convención, "
        "sus períodos de sesiones, sus grupos de trabajo, las decisiones y resoluciones que "
        "los establecieron u orientaron su labor, sus reuniones y los documentos de las "
        "Naciones Unidas que informan sobre ellas. Cada hecho cita el párrafo del documento "
        "de origen.",
        "ar": "تصف مجموعة البيانات هذه مؤتمر الأطراف في الاتفاقية ودوراته وأفرقته العاملة "
        "والمقررات والقرارات التي أنشأتها أو وجهت عملها واجتماعاتها ووثائق الأمم المتحدة "
        "التي تتضمن تقارير عنها. وتستشهد كل معلومة بالفقرة التي أُخذت منها في الوثيقة المصدر.",
        "zh": "本数据集描述公约缔约方会议及其届会、工作组、设立工作组或指导其工作的决定和决议、"
        "工作组会议以及关于这些会议的联合国文件。每一项事实都引用其所依据的来源文件段落。",
    },
    "home": {
        "en": "Home",
        "ru": "Главная",
        "fr": "Accueil",
        "es": "Inicio",
        "ar": "الصفحة الرئيسية",
        "zh": "首页",
    },
    "ontology": {
        "en": "Ontology",
        "ru": "Онтология",
        "fr": "Ontologie",
        "es": "Ontología",
        "ar": "الأنطولوجيا",
        "zh": "本体",
    },
    "sparql": {
        "en": "SPARQL",
        "ru": "SPARQL",
        "fr": "SPARQL",
        "es": "SPARQL",
        "ar": "SPARQL",
        "zh": "SPARQL",
    },
    "search": {
        "en": "Search",
        "ru": "Поиск",
        "fr": "Rechercher",
        "es": "Buscar",
        "ar": "بحث",
        "zh": "搜索",
    },
    "search_placeholder": {
        "en": "Search labels in any language",
        "ru": "Поиск по названиям на любом языке",
        "fr": "Rechercher des libellés dans toutes les langues",
        "es": "Buscar etiquetas en cualquier idioma",
        "ar": "البحث في التسميات بأي لغة",
        "zh": "以任何语言搜索标签",
    },
    "search_results": {
        "en": "Search results",
        "ru": "Результаты поиска",
        "fr": "Résultats de la recherche",
        "es": "Resultados de la búsqueda",
        "ar": "نتائج البحث",
        "zh": "搜索结果",
    },
    "no_results": {
        "en": "Nothing found.",
        "ru": "Ничего не найдено.",
        "fr": "Aucun résultat.",
        "es": "No se encontró nada.",
        "ar": "لم يُعثر على شيء.",
        "zh": "未找到任何结果。",
    },
    "language": {
        "en": "Language",
        "ru": "Язык",
        "fr": "Langue",
        "es": "Idioma",
        "ar": "اللغة",
        "zh": "语言",
    },
    "counts": {
        "en": "What the graph contains",
        "ru": "Содержание графа",
        "fr": "Contenu du graphe",
        "es": "Contenido del grafo",
        "ar": "محتوى الرسم البياني",
        "zh": "图谱内容",
    },
    "class": {
        "en": "Class",
        "ru": "Класс",
        "fr": "Classe",
        "es": "Clase",
        "ar": "الفئة",
        "zh": "类",
    },
    "count": {
        "en": "Count",
        "ru": "Количество",
        "fr": "Nombre",
        "es": "Número",
        "ar": "العدد",
        "zh": "数量",
    },
    "structure": {
        "en": "Institutional structure",
        "ru": "Институциональная структура",
        "fr": "Structure institutionnelle",
        "es": "Estructura institucional",
        "ar": "الهيكل المؤسسي",
        "zh": "机构结构",
    },
    "structure_caption": {
        "en": "The Conference of the Parties, its working groups, the treaties their mandates "
        "concern and the instruments that established them.",
        "ru": "Конференция участников, ее рабочие группы, договоры, к которым относятся их "
        "мандаты, и документы, которыми они были учреждены.",
        "fr": "La Conférence des Parties, ses groupes de travail, les traités sur lesquels "
        "portent leurs mandats et les instruments qui les ont créés.",
        "es": "La Conferencia de las Partes, sus grupos de trabajo, los tratados a que se "
        "refieren sus mandatos y los instrumentos que los establecieron.",
        "ar": "مؤتمر الأطراف وأفرقته العاملة والمعاهدات التي تتعلق بها ولاياتها والصكوك "
        "التي أنشأتها.",
        "zh": "缔约方会议、其各工作组、其任务所涉条约以及设立这些工作组的文书。",
    },
    "browse": {
        "en": "Browse",
        "ru": "Обзор",
        "fr": "Parcourir",
        "es": "Explorar",
        "ar": "تصفح",
        "zh": "浏览",
    },
    "all_of_class": {
        "en": "All items of class",
        "ru": "Все объекты класса",
        "fr": "Tous les éléments de la classe",
        "es": "Todos los elementos de la clase",
        "ar": "جميع عناصر الفئة",
        "zh": "该类的全部条目",
    },
    "previous": {
        "en": "Previous",
        "ru": "Назад",
        "fr": "Précédent",
        "es": "Anterior",
        "ar": "السابق",
        "zh": "上一页",
    },
    "next": {
        "en": "Next",
        "ru": "Далее",
        "fr": "Suivant",
        "es": "Siguiente",
        "ar": "التالي",
        "zh": "下一页",
    },
    "page": {
        "en": "Page",
        "ru": "Страница",
        "fr": "Page",
        "es": "Página",
        "ar": "الصفحة",
        "zh": "页",
    },
    "type": {"en": "Type", "ru": "Тип", "fr": "Type", "es": "Tipo", "ar": "النوع", "zh": "类型"},
    "properties": {
        "en": "Properties",
        "ru": "Свойства",
        "fr": "Propriétés",
        "es": "Propiedades",
        "ar": "الخصائص",
        "zh": "属性",
    },
    "group_identity": {
        "en": "Names and identifiers",
        "ru": "Названия и идентификаторы",
        "fr": "Noms et identifiants",
        "es": "Nombres e identificadores",
        "ar": "الأسماء والمعرّفات",
        "zh": "名称和标识符",
    },
    "group_relations": {
        "en": "Relations",
        "ru": "Связи",
        "fr": "Relations",
        "es": "Relaciones",
        "ar": "العلاقات",
        "zh": "关系",
    },
    "group_time_place": {
        "en": "Dates and place",
        "ru": "Даты и место",
        "fr": "Dates et lieu",
        "es": "Fechas y lugar",
        "ar": "التواريخ والمكان",
        "zh": "日期和地点",
    },
    "group_provenance": {
        "en": "Provenance",
        "ru": "Происхождение",
        "fr": "Provenance",
        "es": "Procedencia",
        "ar": "المصدر",
        "zh": "出处",
    },
    "group_links": {
        "en": "Same resource elsewhere",
        "ru": "Этот же ресурс в других источниках",
        "fr": "La même ressource ailleurs",
        "es": "El mismo recurso en otros sitios",
        "ar": "المورد نفسه في مصادر أخرى",
        "zh": "其他来源中的同一资源",
    },
    "group_other": {
        "en": "Other",
        "ru": "Прочее",
        "fr": "Autres",
        "es": "Otros",
        "ar": "أخرى",
        "zh": "其他",
    },
    "incoming": {
        "en": "What points here",
        "ru": "Ссылки на этот ресурс",
        "fr": "Ce qui pointe ici",
        "es": "Qué apunta aquí",
        "ar": "ما يشير إلى هنا",
        "zh": "指向此处的内容",
    },
    "subject": {
        "en": "Subject",
        "ru": "Субъект",
        "fr": "Sujet",
        "es": "Sujeto",
        "ar": "الموضوع",
        "zh": "主语",
    },
    "property": {
        "en": "Property",
        "ru": "Свойство",
        "fr": "Propriété",
        "es": "Propiedad",
        "ar": "الخاصية",
        "zh": "属性",
    },
    "value": {
        "en": "Value",
        "ru": "Значение",
        "fr": "Valeur",
        "es": "Valor",
        "ar": "القيمة",
        "zh": "值",
    },
    "sources": {
        "en": "Sources",
        "ru": "Источники",
        "fr": "Sources",
        "es": "Fuentes",
        "ar": "المصادر",
        "zh": "来源",
    },
    "sources_intro": {
        "en": "The paragraphs of the source documents that state these facts, quoted verbatim.",
        "ru": "Пункты исходных документов, в которых изложены эти факты, приведены дословно.",
        "fr": "Les paragraphes des documents sources qui énoncent ces faits, cités textuellement.",
        "es": "Los párrafos de los documentos de origen que enuncian estos hechos, citados "
        "textualmente.",
        "ar": "فقرات الوثائق المصدر التي تذكر هذه المعلومات، مقتبسة حرفيا.",
        "zh": "逐字引用的陈述这些事实的来源文件段落。",
    },
    "instruments": {
        "en": "Establishing and mandating instruments",
        "ru": "Учреждающие и определяющие мандат документы",
        "fr": "Instruments portant création et mandat",
        "es": "Instrumentos de creación y mandato",
        "ar": "صكوك الإنشاء والولاية",
        "zh": "设立文书和授权文书",
    },
    "instrument": {
        "en": "Instrument",
        "ru": "Документ",
        "fr": "Instrument",
        "es": "Instrumento",
        "ar": "الصك",
        "zh": "文书",
    },
    "provision": {
        "en": "Provision",
        "ru": "Положение",
        "fr": "Disposition",
        "es": "Disposición",
        "ar": "الحكم",
        "zh": "条款",
    },
    "provisions": {
        "en": "Provisions",
        "ru": "Положения",
        "fr": "Dispositions",
        "es": "Disposiciones",
        "ar": "الأحكام",
        "zh": "条款",
    },
    "addresses": {
        "en": "Concerns",
        "ru": "Касается",
        "fr": "Concerne",
        "es": "Se refiere a",
        "ar": "يتعلق بـ",
        "zh": "涉及",
    },
    "source": {
        "en": "Source",
        "ru": "Источник",
        "fr": "Source",
        "es": "Fuente",
        "ar": "المصدر",
        "zh": "来源",
    },
    "meetings": {
        "en": "Meetings",
        "ru": "Совещания",
        "fr": "Réunions",
        "es": "Reuniones",
        "ar": "الاجتماعات",
        "zh": "会议",
    },
    "timeline": {
        "en": "Timeline of meetings",
        "ru": "Хронология совещаний",
        "fr": "Chronologie des réunions",
        "es": "Cronología de las reuniones",
        "ar": "الجدول الزمني للاجتماعات",
        "zh": "会议时间线",
    },
    "meeting": {
        "en": "Meeting",
        "ru": "Совещание",
        "fr": "Réunion",
        "es": "Reunión",
        "ar": "الاجتماع",
        "zh": "会议",
    },
    "dates": {
        "en": "Dates",
        "ru": "Даты",
        "fr": "Dates",
        "es": "Fechas",
        "ar": "التواريخ",
        "zh": "日期",
    },
    "place": {
        "en": "Place",
        "ru": "Место",
        "fr": "Lieu",
        "es": "Lugar",
        "ar": "المكان",
        "zh": "地点",
    },
    "report": {
        "en": "Report",
        "ru": "Доклад",
        "fr": "Rapport",
        "es": "Informe",
        "ar": "التقرير",
        "zh": "报告",
    },
    "reports": {
        "en": "Reports",
        "ru": "Доклады",
        "fr": "Rapports",
        "es": "Informes",
        "ar": "التقارير",
        "zh": "报告",
    },
    "document": {
        "en": "Document",
        "ru": "Документ",
        "fr": "Document",
        "es": "Documento",
        "ar": "الوثيقة",
        "zh": "文件",
    },
    "symbol": {
        "en": "Symbol",
        "ru": "Условное обозначение",
        "fr": "Cote",
        "es": "Signatura",
        "ar": "الرمز",
        "zh": "文号",
    },
    "issued": {
        "en": "Issued",
        "ru": "Дата выпуска",
        "fr": "Date de publication",
        "es": "Fecha de publicación",
        "ar": "تاريخ الصدور",
        "zh": "印发日期",
    },
    "reports_on": {
        "en": "Reports on",
        "ru": "О работе",
        "fr": "Rend compte de",
        "es": "Informa sobre",
        "ar": "يتناول",
        "zh": "报告内容",
    },
    "submitted_to": {
        "en": "Submitted to",
        "ru": "Представлен",
        "fr": "Soumis à",
        "es": "Presentado a",
        "ar": "مقدم إلى",
        "zh": "提交给",
    },
    "text": {"en": "Text", "ru": "Текст", "fr": "Texte", "es": "Texto", "ar": "النص", "zh": "文本"},
    "document_text": {
        "en": "Text of the document (as recorded)",
        "ru": "Текст документа (в записанном виде)",
        "fr": "Texte du document (tel qu'enregistré)",
        "es": "Texto del documento (tal como se registró)",
        "ar": "نص الوثيقة (كما سُجّل)",
        "zh": "文件文本（按记录）",
    },
    "query_this": {
        "en": "Query this",
        "ru": "Запросить",
        "fr": "Interroger",
        "es": "Consultar",
        "ar": "استعلام",
        "zh": "查询",
    },
    "query_describe": {
        "en": "Everything about this resource (DESCRIBE)",
        "ru": "Всё об этом ресурсе (DESCRIBE)",
        "fr": "Tout sur cette ressource (DESCRIBE)",
        "es": "Todo sobre este recurso (DESCRIBE)",
        "ar": "كل شيء عن هذا المورد (DESCRIBE)",
        "zh": "此资源的全部信息（DESCRIBE）",
    },
    "query_select": {
        "en": "Its properties as a table (SELECT)",
        "ru": "Его свойства в виде таблицы (SELECT)",
        "fr": "Ses propriétés sous forme de tableau (SELECT)",
        "es": "Sus propiedades en una tabla (SELECT)",
        "ar": "خصائصه في جدول (SELECT)",
        "zh": "以表格列出其属性（SELECT）",
    },
    "formats": {
        "en": "Download as",
        "ru": "Скачать в формате",
        "fr": "Télécharger en",
        "es": "Descargar como",
        "ar": "تنزيل بصيغة",
        "zh": "下载格式",
    },
    "not_found": {
        "en": "Not found",
        "ru": "Не найдено",
        "fr": "Introuvable",
        "es": "No encontrado",
        "ar": "غير موجود",
        "zh": "未找到",
    },
    "not_found_text": {
        "en": "There is no resource with this identifier in the graph.",
        "ru": "В графе нет ресурса с таким идентификатором.",
        "fr": "Le graphe ne contient aucune ressource portant cet identifiant.",
        "es": "No hay ningún recurso con este identificador en el grafo.",
        "ar": "لا يوجد في الرسم البياني مورد بهذا المعرّف.",
        "zh": "图谱中没有具有此标识符的资源。",
    },
    "suggestions": {
        "en": "Perhaps you were looking for",
        "ru": "Возможно, вы искали",
        "fr": "Vous cherchiez peut-être",
        "es": "Quizá buscaba",
        "ar": "ربما كنت تبحث عن",
        "zh": "您可能在查找",
    },
    "classes": {
        "en": "Classes",
        "ru": "Классы",
        "fr": "Classes",
        "es": "Clases",
        "ar": "الفئات",
        "zh": "类",
    },
    "object_properties": {
        "en": "Properties",
        "ru": "Свойства",
        "fr": "Propriétés",
        "es": "Propiedades",
        "ar": "الخصائص",
        "zh": "属性",
    },
    "concepts": {
        "en": "Concepts",
        "ru": "Понятия",
        "fr": "Concepts",
        "es": "Conceptos",
        "ar": "المفاهيم",
        "zh": "概念",
    },
    "alignments": {
        "en": "Alignments",
        "ru": "Соответствия",
        "fr": "Alignements",
        "es": "Alineaciones",
        "ar": "المواءمات",
        "zh": "对齐",
    },
    "domain": {
        "en": "Domain",
        "ru": "Область определения",
        "fr": "Domaine",
        "es": "Dominio",
        "ar": "المجال",
        "zh": "定义域",
    },
    "range": {
        "en": "Range",
        "ru": "Область значений",
        "fr": "Portée",
        "es": "Rango",
        "ar": "المدى",
        "zh": "值域",
    },
    "description": {
        "en": "Description",
        "ru": "Описание",
        "fr": "Description",
        "es": "Descripción",
        "ar": "الوصف",
        "zh": "说明",
    },
    "graph": {
        "en": "Named graph",
        "ru": "Именованный граф",
        "fr": "Graphe nommé",
        "es": "Grafo con nombre",
        "ar": "رسم بياني مسمى",
        "zh": "命名图",
    },
    "graphs": {
        "en": "Named graphs",
        "ru": "Именованные графы",
        "fr": "Graphes nommés",
        "es": "Grafos con nombre",
        "ar": "الرسوم البيانية المسماة",
        "zh": "命名图",
    },
    "triples": {
        "en": "Triples",
        "ru": "Триплеты",
        "fr": "Triplets",
        "es": "Tripletas",
        "ar": "الثلاثيات",
        "zh": "三元组",
    },
    "subjects": {
        "en": "Resources described",
        "ru": "Описанные ресурсы",
        "fr": "Ressources décrites",
        "es": "Recursos descritos",
        "ar": "الموارد الموصوفة",
        "zh": "所描述的资源",
    },
    "source_document": {
        "en": "Source document",
        "ru": "Исходный документ",
        "fr": "Document source",
        "es": "Documento de origen",
        "ar": "الوثيقة المصدر",
        "zh": "来源文件",
    },
    "canonical_iri": {
        "en": "Identifier",
        "ru": "Идентификатор",
        "fr": "Identifiant",
        "es": "Identificador",
        "ar": "المعرّف",
        "zh": "标识符",
    },
    "dataset_description": {
        "en": "Dataset description",
        "ru": "Описание набора данных",
        "fr": "Description du jeu de données",
        "es": "Descripción del conjunto de datos",
        "ar": "وصف مجموعة البيانات",
        "zh": "数据集说明",
    },
    "void_intro": {
        "en": "The dataset described in VoID and DCAT, also as",
        "ru": "Набор данных, описанный в VoID и DCAT; также в форматах",
        "fr": "Le jeu de données décrit en VoID et DCAT, également en",
        "es": "El conjunto de datos descrito en VoID y DCAT, también en",
        "ar": "مجموعة البيانات موصوفة بلغتي VoID وDCAT، ومتاحة أيضا بصيغ",
        "zh": "以 VoID 和 DCAT 描述的数据集，另有以下格式",
    },
    "licence": {
        "en": "Licence",
        "ru": "Лицензия",
        "fr": "Licence",
        "es": "Licencia",
        "ar": "الترخيص",
        "zh": "许可",
    },
    "sparql_endpoint": {
        "en": "SPARQL endpoint",
        "ru": "Точка доступа SPARQL",
        "fr": "Point d'accès SPARQL",
        "es": "Punto de acceso SPARQL",
        "ar": "نقطة وصول SPARQL",
        "zh": "SPARQL 端点",
    },
    "statistics": {
        "en": "Statistics",
        "ru": "Статистика",
        "fr": "Statistiques",
        "es": "Estadísticas",
        "ar": "إحصاءات",
        "zh": "统计",
    },
    "entities": {
        "en": "Entities",
        "ru": "Сущности",
        "fr": "Entités",
        "es": "Entidades",
        "ar": "الكيانات",
        "zh": "实体",
    },
    "distinct_subjects": {
        "en": "Distinct subjects",
        "ru": "Различные субъекты",
        "fr": "Sujets distincts",
        "es": "Sujetos distintos",
        "ar": "الموضوعات المتمايزة",
        "zh": "不同主语",
    },
    "distinct_objects": {
        "en": "Distinct objects",
        "ru": "Различные объекты",
        "fr": "Objets distincts",
        "es": "Objetos distintos",
        "ar": "الأشياء المتمايزة",
        "zh": "不同宾语",
    },
    "linksets": {
        "en": "Links to other datasets",
        "ru": "Связи с другими наборами данных",
        "fr": "Liens vers d'autres jeux de données",
        "es": "Enlaces a otros conjuntos de datos",
        "ar": "روابط إلى مجموعات بيانات أخرى",
        "zh": "与其他数据集的链接",
    },
    "target": {
        "en": "Target",
        "ru": "Цель",
        "fr": "Cible",
        "es": "Destino",
        "ar": "الهدف",
        "zh": "目标",
    },
    "dumps": {
        "en": "Dumps",
        "ru": "Выгрузки",
        "fr": "Exports complets",
        "es": "Volcados",
        "ar": "ملفات التفريغ",
        "zh": "数据转储",
    },
    "dumps_intro": {
        "en": "The whole dataset, generated from the store, current as of its latest change.",
        "ru": "Весь набор данных, сформированный из хранилища "
        "по состоянию на его последнее изменение.",
        "fr": "L'ensemble du jeu de données, produit à partir de la base, "
        "à jour de sa dernière modification.",
        "es": "El conjunto de datos completo, generado a partir del almacén "
        "y actualizado a su último cambio.",
        "ar": "مجموعة البيانات كاملة، مولدة من المخزن ومحدثة حتى آخر تغيير فيه.",
        "zh": "完整数据集，由存储生成，截至最近一次更改。",
    },
    "file": {
        "en": "File",
        "ru": "Файл",
        "fr": "Fichier",
        "es": "Archivo",
        "ar": "الملف",
        "zh": "文件",
    },
    "media_type": {
        "en": "Media type",
        "ru": "Тип данных",
        "fr": "Type de média",
        "es": "Tipo de medio",
        "ar": "نوع الوسائط",
        "zh": "媒体类型",
    },
    "footer": {
        "en": "Data: UN documents, curated. Every page is also available as RDF.",
        "ru": "Данные: документы ООН, выверенные вручную. Каждая страница доступна и в RDF.",
        "fr": "Données : documents de l'ONU, vérifiés. Chaque page existe aussi en RDF.",
        "es": "Datos: documentos de las Naciones Unidas, verificados. Cada página está "
        "disponible también en RDF.",
        "ar": "البيانات: وثائق الأمم المتحدة بعد تدقيقها. كل صفحة متاحة أيضا بصيغة RDF.",
        "zh": "数据：经整理的联合国文件。每个页面也提供 RDF 格式。",
    },
    "more": {"en": "more", "ru": "ещё", "fr": "plus", "es": "más", "ar": "المزيد", "zh": "更多"},
    "of": {"en": "of", "ru": "из", "fr": "sur", "es": "de", "ar": "من", "zh": "/"},
    "showing": {
        "en": "Showing",
        "ru": "Показаны",
        "fr": "Affichage",
        "es": "Mostrando",
        "ar": "عرض",
        "zh": "显示",
    },
}

# Labels for common properties outside the ontology, in case the ontology does not label them.
EXTERNAL_PROPERTY_LABELS: dict[str, dict[str, str]] = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": {
        "en": "type",
        "ru": "тип",
        "fr": "type",
        "es": "tipo",
        "ar": "النوع",
        "zh": "类型",
    },
    "http://www.w3.org/2000/01/rdf-schema#label": {
        "en": "label",
        "ru": "название",
        "fr": "libellé",
        "es": "etiqueta",
        "ar": "التسمية",
        "zh": "标签",
    },
    "http://www.w3.org/2000/01/rdf-schema#comment": {
        "en": "comment",
        "ru": "комментарий",
        "fr": "commentaire",
        "es": "comentario",
        "ar": "تعليق",
        "zh": "注释",
    },
    "http://www.w3.org/2004/02/skos/core#altLabel": {
        "en": "also known as",
        "ru": "другие названия",
        "fr": "autres noms",
        "es": "otros nombres",
        "ar": "أسماء أخرى",
        "zh": "别名",
    },
    "http://www.w3.org/2004/02/skos/core#prefLabel": {
        "en": "preferred label",
        "ru": "основное название",
        "fr": "libellé préféré",
        "es": "etiqueta preferida",
        "ar": "التسمية المفضلة",
        "zh": "首选标签",
    },
    "http://www.w3.org/2004/02/skos/core#exactMatch": {
        "en": "exact match",
        "ru": "точное соответствие",
        "fr": "correspondance exacte",
        "es": "correspondencia exacta",
        "ar": "مطابقة تامة",
        "zh": "完全匹配",
    },
    "http://www.w3.org/2002/07/owl#sameAs": {
        "en": "same as",
        "ru": "то же, что",
        "fr": "identique à",
        "es": "igual a",
        "ar": "مطابق لـ",
        "zh": "等同于",
    },
    "https://schema.org/name": {
        "en": "full name",
        "ru": "полное название",
        "fr": "nom complet",
        "es": "nombre completo",
        "ar": "الاسم الكامل",
        "zh": "全称",
    },
    "https://schema.org/startDate": {
        "en": "start date",
        "ru": "дата начала",
        "fr": "date de début",
        "es": "fecha de inicio",
        "ar": "تاريخ البدء",
        "zh": "开始日期",
    },
    "https://schema.org/endDate": {
        "en": "end date",
        "ru": "дата окончания",
        "fr": "date de fin",
        "es": "fecha de finalización",
        "ar": "تاريخ الانتهاء",
        "zh": "结束日期",
    },
    "https://schema.org/location": {
        "en": "place",
        "ru": "место",
        "fr": "lieu",
        "es": "lugar",
        "ar": "المكان",
        "zh": "地点",
    },
    "http://purl.org/dc/terms/title": {
        "en": "title",
        "ru": "заголовок",
        "fr": "titre",
        "es": "título",
        "ar": "العنوان",
        "zh": "标题",
    },
    "http://purl.org/dc/terms/description": {
        "en": "description",
        "ru": "описание",
        "fr": "description",
        "es": "descripción",
        "ar": "الوصف",
        "zh": "说明",
    },
    "http://www.w3.org/2004/02/skos/core#definition": {
        "en": "definition",
        "ru": "определение",
        "fr": "définition",
        "es": "definición",
        "ar": "التعريف",
        "zh": "定义",
    },
    "http://purl.org/dc/terms/issued": {
        "en": "issued",
        "ru": "дата выпуска",
        "fr": "date de publication",
        "es": "fecha de publicación",
        "ar": "تاريخ الصدور",
        "zh": "印发日期",
    },
    "http://purl.org/dc/terms/source": {
        "en": "source",
        "ru": "источник",
        "fr": "source",
        "es": "fuente",
        "ar": "المصدر",
        "zh": "来源",
    },
    "http://purl.org/dc/terms/isPartOf": {
        "en": "part of",
        "ru": "часть",
        "fr": "partie de",
        "es": "parte de",
        "ar": "جزء من",
        "zh": "属于",
    },
    "http://purl.org/dc/terms/creator": {
        "en": "author",
        "ru": "автор",
        "fr": "auteur",
        "es": "autor",
        "ar": "المؤلف",
        "zh": "作者",
    },
    "http://purl.org/dc/terms/language": {
        "en": "language",
        "ru": "язык",
        "fr": "langue",
        "es": "idioma",
        "ar": "اللغة",
        "zh": "语言",
    },
    "http://www.w3.org/2000/01/rdf-schema#subClassOf": {
        "en": "subclass of",
        "ru": "подкласс",
        "fr": "sous-classe de",
        "es": "subclase de",
        "ar": "فئة فرعية من",
        "zh": "子类",
    },
    "http://www.w3.org/2002/07/owl#equivalentClass": {
        "en": "equivalent class",
        "ru": "эквивалентный класс",
        "fr": "classe équivalente",
        "es": "clase equivalente",
        "ar": "فئة مكافئة",
        "zh": "等价类",
    },
    "http://www.w3.org/2000/01/rdf-schema#subPropertyOf": {
        "en": "subproperty of",
        "ru": "подсвойство",
        "fr": "sous-propriété de",
        "es": "subpropiedad de",
        "ar": "خاصية فرعية من",
        "zh": "子属性",
    },
    "http://www.w3.org/2002/07/owl#equivalentProperty": {
        "en": "equivalent property",
        "ru": "эквивалентное свойство",
        "fr": "propriété équivalente",
        "es": "propiedad equivalente",
        "ar": "خاصية مكافئة",
        "zh": "等价属性",
    },
    "http://www.w3.org/2002/07/owl#inverseOf": {
        "en": "inverse of",
        "ru": "обратное к",
        "fr": "inverse de",
        "es": "inversa de",
        "ar": "عكس",
        "zh": "逆属性",
    },
    "http://www.w3.org/2004/02/skos/core#inScheme": {
        "en": "in scheme",
        "ru": "входит в схему",
        "fr": "dans le schéma",
        "es": "en el esquema",
        "ar": "ضمن المخطط",
        "zh": "所属体系",
    },
    "http://www.w3.org/2004/02/skos/core#Concept": {
        "en": "concept",
        "ru": "понятие",
        "fr": "concept",
        "es": "concepto",
        "ar": "مفهوم",
        "zh": "概念",
    },
    "http://www.w3.org/2004/02/skos/core#ConceptScheme": {
        "en": "concept scheme",
        "ru": "схема понятий",
        "fr": "schéma de concepts",
        "es": "esquema de conceptos",
        "ar": "مخطط المفاهيم",
        "zh": "概念体系",
    },
    "https://schema.org/Place": {
        "en": "place",
        "ru": "место",
        "fr": "lieu",
        "es": "lugar",
        "ar": "مكان",
        "zh": "地点",
    },
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#value": {
        "en": "text",
        "ru": "текст",
        "fr": "texte",
        "es": "texto",
        "ar": "النص",
        "zh": "文本",
    },
}


def text(key: str, lang: str) -> str:
    """The chrome string `key` in `lang`, else English."""
    entry = STRINGS[key]
    return entry.get(lang) or entry[DEFAULT_LANGUAGE]


def choose_language(lang_param: str | None, accept_language) -> tuple[str, bool]:
    """The page language: the `lang` parameter, then Accept-Language, then English.

    Returns (language, explicit) where explicit says it came from the parameter, so that
    links carry it on.
    """
    if lang_param:
        code = lang_param.strip().lower().split("-")[0]
        if code in LANGUAGES:
            return code, True
    if accept_language is not None:
        best = accept_language.best_match(LANGUAGES)
        if best:
            return best, False
        # Accept-Language: ru-RU also means Russian.
        for value, _quality in accept_language:
            code = value.lower().split("-")[0]
            if code in LANGUAGES:
                return code, False
    return DEFAULT_LANGUAGE, False


def pick_label(labels: Mapping[str, Iterable[str]] | None, lang: str) -> str | None:
    """A label in `lang`, else English, else untagged, else any (the first by language tag)."""
    if not labels:
        return None
    for code in (lang, DEFAULT_LANGUAGE, ""):
        values = _values_for(labels, code)
        if values:
            return values[0]
    for code in sorted(labels):
        values = sorted(labels[code])
        if values:
            return values[0]
    return None


def _values_for(labels: Mapping[str, Iterable[str]], code: str) -> list[str]:
    found: list[str] = []
    for tag, values in labels.items():
        if tag == code or (code and tag.split("-")[0] == code):
            found.extend(values)
    return sorted(found)


def direction(lang: str) -> str:
    return "rtl" if lang in RTL_LANGUAGES else "ltr"


# ---------------------------------------------------------------- dates

# Month names as the UN writes them in each language: genitive in Russian, the double
# Levantine/Egyptian names of the Arabic editorial manual.
MONTHS: dict[str, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    "ru": (
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
    "ar": (
        "كانون الثاني/يناير",
        "شباط/فبراير",
        "آذار/مارس",
        "نيسان/أبريل",
        "أيار/مايو",
        "حزيران/يونيه",
        "تموز/يوليه",
        "آب/أغسطس",
        "أيلول/سبتمبر",
        "تشرين الأول/أكتوبر",
        "تشرين الثاني/نوفمبر",
        "كانون الأول/ديسمبر",
    ),
}


def _parse_date(iso: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a plain `YYYY-MM-DD` (an xsd:date may carry a time zone)."""
    text = (iso or "").strip()[:10]
    parts = text.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        return None
    year, month, day = (int(p) for p in parts)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return year, month, day


def _day(day: int, lang: str) -> str:
    return "1er" if lang == "fr" and day == 1 else str(day)


def _day_month(days: str, month: int, lang: str) -> str:
    """`days` is one day ("2") or a span within the month ("2–3")."""
    if lang == "zh":
        return f"{month}月{days}日"
    name = MONTHS[lang][month - 1]
    return f"{days} de {name}" if lang == "es" else f"{days} {name}"


def _with_year(day_month: str, year: int, lang: str) -> str:
    if lang == "zh":
        return f"{year}年{day_month}"
    if lang == "ru":
        return f"{day_month} {year} г."
    if lang == "es":
        return f"{day_month} de {year}"
    return f"{day_month} {year}"


def format_date(iso: str, lang: str) -> str:
    """`2023-10-02` as people read it: en "2 October 2023", ru "2 октября 2023 г.",
    zh "2023年10月2日". Anything that is not a plain date is returned as it is."""
    parsed = _parse_date(iso)
    if parsed is None:
        return iso
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    year, month, day = parsed
    return _with_year(_day_month(_day(day, lang), month, lang), year, lang)


def format_date_range(start: str, end: str, lang: str) -> str:
    """A range with what the ends share said once: "2–3 October 2023",
    "30 September – 3 October 2023", "2023年10月2日至3日"."""
    first, last = _parse_date(start), _parse_date(end)
    if first is None or last is None or first == last:
        if start and end and start != end:
            return f"{format_date(start, lang)} – {format_date(end, lang)}"
        return format_date(start or end, lang)
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    (y1, m1, d1), (y2, m2, d2) = first, last
    if lang == "zh":
        if y1 != y2:
            return f"{format_date(start, lang)}至{format_date(end, lang)}"
        return f"{y1}年{m1}月{d1}日至" + (f"{d2}日" if m1 == m2 else f"{m2}月{d2}日")
    # Arabic takes a hyphen: an en dash between two numbers is reordered right-to-left.
    dash = "-" if lang == "ar" else "–"
    if y1 == y2 and m1 == m2:
        return _with_year(_day_month(f"{_day(d1, lang)}{dash}{d2}", m2, lang), y2, lang)
    if y1 == y2:
        head = _day_month(_day(d1, lang), m1, lang)
    else:
        head = format_date(start, lang)
    tail = format_date(end, lang)
    if lang == "ar":
        return f"من {head} إلى {tail}"
    return f"{head} – {tail}"


# ---------------------------------------------------------------- generated labels

# Labels of a document's citable parts (`#para-3`, `#section-1`, `#footnote-1`, `#header`)
# for languages the data has no label in.
PART_LABELS: dict[str, dict[str, str]] = {
    "para": {
        "en": "paragraph {n}",
        "ru": "пункт {n}",
        "fr": "paragraphe {n}",
        "es": "párrafo {n}",
        "ar": "الفقرة {n}",
        "zh": "第{n}段",
    },
    "section": {
        "en": "section heading {n}",
        "ru": "заголовок раздела {n}",
        "fr": "titre de section {n}",
        "es": "título de sección {n}",
        "ar": "عنوان الفرع {n}",
        "zh": "第{n}节标题",
    },
    "footnote": {
        "en": "footnote {n}",
        "ru": "сноска {n}",
        "fr": "note de bas de page {n}",
        "es": "nota de pie de página {n}",
        "ar": "الحاشية {n}",
        "zh": "脚注{n}",
    },
    "header": {
        "en": "header",
        "ru": "шапка документа",
        "fr": "en-tête",
        "es": "encabezamiento",
        "ar": "ترويسة الوثيقة",
        "zh": "文件标头",
    },
}


def part_label(anchor: str, lang: str) -> str | None:
    """ "пункт 3" for `para-3` in Russian; None for an anchor of another shape."""
    kind, _, number = anchor.partition("-")
    names = PART_LABELS.get(kind)
    if names is None or (kind == "header") != (number == "") or (number and not number.isdigit()):
        return None
    return (names.get(lang) or names[DEFAULT_LANGUAGE]).format(n=number)


def capitalize(text: str) -> str:
    """The first letter in upper case, the rest untouched ("решение 4/4" -> "Решение 4/4")."""
    return text[:1].upper() + text[1:] if text else text


# Ontology terms and provision types in the languages the ontology has no label in (it
# labels them in English and Russian). Keys: `untoc:` local names, or paths under the base.
TERM_LABELS: dict[str, dict[str, str]] = {
    "untoc:addresses": {"fr": "concerne", "es": "se refiere a", "ar": "يتعلق بـ", "zh": "涉及"},
    "untoc:adoptedAt": {"fr": "adopté à", "es": "aprobado en", "ar": "اعتُمد في", "zh": "通过于"},
    "untoc:adoptedBy": {"fr": "adopté par", "es": "aprobado por", "ar": "اعتمده", "zh": "通过机构"},
    "untoc:agendaItem": {
        "fr": "point de l'ordre du jour",
        "es": "tema del programa",
        "ar": "بند جدول الأعمال",
        "zh": "议程项目",
    },
    "untoc:agendaItemOf": {
        "fr": "point de l'ordre du jour de",
        "es": "tema del programa de",
        "ar": "بند من جدول أعمال",
        "zh": "所属届会议程",
    },
    "untoc:distribution": {
        "fr": "distribution",
        "es": "distribución",
        "ar": "التوزيع",
        "zh": "分发",
    },
    "untoc:documentSymbol": {
        "fr": "cote du document",
        "es": "signatura del documento",
        "ar": "رمز الوثيقة",
        "zh": "文号",
    },
    "untoc:establishedBy": {
        "fr": "créé par",
        "es": "establecido por",
        "ar": "أُنشئ بموجب",
        "zh": "设立依据",
    },
    "untoc:establishes": {"fr": "crée", "es": "establece", "ar": "يُنشئ", "zh": "设立"},
    "untoc:hasAgendaItem": {
        "fr": "comporte le point",
        "es": "incluye el tema",
        "ar": "يتضمن البند",
        "zh": "包括议程项目",
    },
    "untoc:hasProvision": {
        "fr": "contient la disposition",
        "es": "contiene la disposición",
        "ar": "يتضمن الحكم",
        "zh": "包含条款",
    },
    "untoc:hasSubsidiaryBody": {
        "fr": "a pour organe subsidiaire",
        "es": "tiene como órgano subsidiario",
        "ar": "له هيئة فرعية",
        "zh": "附属机构",
    },
    "untoc:identifier": {"fr": "numéro", "es": "número", "ar": "الرقم", "zh": "编号"},
    "untoc:madePermanentBy": {
        "fr": "rendu permanent par",
        "es": "convertido en permanente por",
        "ar": "جُعل دائما بموجب",
        "zh": "常设依据",
    },
    "untoc:mandateConcerns": {
        "fr": "mandat relatif à",
        "es": "mandato relativo a",
        "ar": "تتعلق الولاية بـ",
        "zh": "任务涉及",
    },
    "untoc:meetingOf": {
        "fr": "réunion de",
        "es": "reunión de",
        "ar": "اجتماع لـ",
        "zh": "会议所属机构",
    },
    "untoc:ordinal": {
        "fr": "numéro d'ordre",
        "es": "número de orden",
        "ar": "الرقم الترتيبي",
        "zh": "序号",
    },
    "untoc:originalLanguage": {
        "fr": "langue originale",
        "es": "idioma original",
        "ar": "اللغة الأصلية",
        "zh": "原文语言",
    },
    "untoc:provisionOf": {
        "fr": "disposition de",
        "es": "disposición de",
        "ar": "حكم من",
        "zh": "所属文书",
    },
    "untoc:provisionType": {
        "fr": "type de disposition",
        "es": "tipo de disposición",
        "ar": "نوع الحكم",
        "zh": "条款类型",
    },
    "untoc:reportOf": {
        "fr": "rapport sur",
        "es": "informe sobre",
        "ar": "تقرير عن",
        "zh": "报告对象",
    },
    "untoc:sessionOf": {
        "fr": "session de",
        "es": "período de sesiones de",
        "ar": "دورة لـ",
        "zh": "届会所属机构",
    },
    "untoc:submittedTo": {"fr": "soumis à", "es": "presentado a", "ar": "مقدم إلى", "zh": "提交给"},
    "untoc:subsidiaryBodyOf": {
        "fr": "organe subsidiaire de",
        "es": "órgano subsidiario de",
        "ar": "هيئة فرعية تابعة لـ",
        "zh": "上级机构",
    },
    "untoc:supplements": {"fr": "complète", "es": "complementa", "ar": "يكمّل", "zh": "补充"},
    "untoc:symbolSeries": {
        "fr": "série de cotes",
        "es": "serie de signaturas",
        "ar": "سلسلة الرموز",
        "zh": "文号系列",
    },
    "untoc:Instrument": {"fr": "instrument", "es": "instrumento", "ar": "صك", "zh": "文书"},
    "untoc:Provision": {"fr": "disposition", "es": "disposición", "ar": "حكم", "zh": "条款"},
    "untoc:Paragraph": {
        "fr": "partie citable",
        "es": "parte citable",
        "ar": "جزء قابل للاستشهاد",
        "zh": "可引用部分",
    },
    "id/provision-type": {
        "fr": "types de disposition",
        "es": "tipos de disposición",
        "ar": "أنواع الأحكام",
        "zh": "条款类型",
    },
    "id/provision-type/establishes": {"fr": "crée", "es": "establece", "ar": "يُنشئ", "zh": "设立"},
    "id/provision-type/extends-mandate": {
        "fr": "proroge le mandat",
        "es": "prorroga el mandato",
        "ar": "يمدد الولاية",
        "zh": "延长任务期限",
    },
    "id/provision-type/makes-permanent": {
        "fr": "rend permanent",
        "es": "convierte en permanente",
        "ar": "يجعله عنصرا دائما",
        "zh": "使其成为常设",
    },
    "id/provision-type/reaffirms": {
        "fr": "réaffirme",
        "es": "reafirma",
        "ar": "يؤكد من جديد",
        "zh": "重申",
    },
    "id/provision-type/recommends-annual-consecutive-meetings": {
        "fr": "recommande des réunions annuelles consécutives",
        "es": "recomienda reuniones anuales consecutivas",
        "ar": "يوصي بعقد اجتماعات سنوية متتالية",
        "zh": "建议每年连续举行会议",
    },
    "id/provision-type/requests-reports": {
        "fr": "demande la transmission de rapports",
        "es": "solicita la presentación de informes",
        "ar": "يطلب تقديم التقارير",
        "zh": "要求提交报告",
    },
}


def has_language(labels: Mapping[str, Iterable[str]] | None, lang: str) -> bool:
    """Whether there is a label in `lang` itself (not a fallback)."""
    return bool(labels) and bool(_values_for(labels, lang))
